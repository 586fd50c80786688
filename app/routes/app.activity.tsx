import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, InlineStack, Page, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import type { Calculation } from "../earning/earning";
import { explainCalculation } from "../earning/explanation";
import prisma from "../db.server";
import { ensureShop } from "../shops/shops.server";
import { authenticate } from "../shopify.server";

// The latest points earned from orders, each with the calculation that produced it.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const locale: "en" | "ja" = new URL(request.url).searchParams.get("locale")?.startsWith("ja") ? "ja" : "en";
  const shop = await prisma.$transaction((tx) => ensureShop(tx, session.shop));
  const entries = await prisma.ledgerEntry.findMany({
    where: { shopId: shop.id, kind: "earn", sourceType: "order" },
    orderBy: { id: "desc" },
    take: 50,
    include: { member: { select: { customerId: true } } },
  });
  return {
    locale,
    earns: entries.map((entry) => ({
      id: entry.id.toString(),
      orderId: entry.orderId,
      customerId: entry.member.customerId,
      points: entry.points,
      at: entry.occurredAt.toISOString(),
      explanation: entry.calculation ? explainCalculation(entry.calculation as unknown as Calculation, locale) : [],
    })),
  };
};

export default function Activity() {
  const { earns } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <Page title={t("activity.title")}>
      <BlockStack gap="300">
        {earns.map((earn) => (
          <Card key={earn.id}>
            <BlockStack gap="100">
              <InlineStack align="space-between">
                <Text as="h3" variant="headingSm">
                  {t("activity.order", { order: earn.orderId, customer: earn.customerId })}
                </Text>
                <Text as="span" variant="headingSm">
                  +{earn.points}
                </Text>
              </InlineStack>
              {earn.explanation.map((line) => (
                <Text as="p" tone="subdued" key={line}>
                  {line}
                </Text>
              ))}
            </BlockStack>
          </Card>
        ))}
      </BlockStack>
    </Page>
  );
}
