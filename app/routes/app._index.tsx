import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, Page, Text } from "@shopify/polaris";
import prisma from "../db.server";
import { programOverview } from "../services/overview.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return prisma.$transaction((tx) => programOverview(tx, session.shop));
};

export default function Index() {
  const overview = useLoaderData<typeof loader>();
  const figures = [
    { label: "Members", value: overview.members },
    { label: "Points outstanding", value: overview.outstanding },
    { label: "Points pending", value: overview.pending },
    { label: "Points owed back (debt)", value: overview.debt },
  ];
  return (
    <Page title="Tsumiki">
      <BlockStack gap="400">
        <Text as="p">{overview.rateText}</Text>
        <InlineGrid columns={{ xs: 1, md: 4 }} gap="400">
          {figures.map((figure) => (
            <Card key={figure.label}>
              <BlockStack gap="100">
                <Text as="h2" variant="headingSm">
                  {figure.label}
                </Text>
                <Text as="p" variant="heading2xl">
                  {figure.value.toLocaleString()}
                </Text>
              </BlockStack>
            </Card>
          ))}
        </InlineGrid>
      </BlockStack>
    </Page>
  );
}
