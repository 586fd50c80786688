import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineStack, Page, Text } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { downloadFile } from "../components/download";
import prisma from "../db.server";
import { adminLocale, day, type AdminLocale } from "../i18n/admin-locale";
import { PRIVACY_ANSWER_DAYS } from "../members/privacy-export";
import {
  listPrivacyRequests,
  markPrivacyRequestAnswered,
  PrivacyRequestNotFound,
} from "../members/privacy-requests.server";
import { ensureShop } from "../shops/shops.server";
import { authenticate } from "../shopify.server";

// GET /app/privacy: the customers' data requests Shopify forwarded, with what to send them and by when.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const requests = await prisma.$transaction((tx) => listPrivacyRequests(tx, session.shop));
  return { locale: adminLocale(request) as AdminLocale, requests };
};

// POST {intent: "answered", id}: staff sent the data to the customer.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const body = (await request.json().catch(() => null)) as { intent?: unknown; id?: unknown } | null;
  if (body?.intent !== "answered" || typeof body.id !== "string") {
    return Response.json({ error: 'send {"intent": "answered", "id": …}' }, { status: 400 });
  }
  const id = body.id;
  try {
    const result = await prisma.$transaction(async (tx) =>
      markPrivacyRequestAnswered(tx, await ensureShop(tx, session.shop), id, `staff:${sessionToken?.sub ?? "unknown"}`),
    );
    return Response.json({ ok: true, ...result });
  } catch (error) {
    if (error instanceof PrivacyRequestNotFound) return Response.json({ error: error.message }, { status: 404 });
    throw error;
  }
};

export default function PrivacyRequestsPage() {
  const { locale, requests } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { ok?: boolean; error?: string } | undefined;
  const { t } = useTranslation();
  const submit = useSubmit();
  const busy = useNavigation().state !== "idle";
  const [error, setError] = useState<string | null>(null);

  const download = async (id: string, customerId: string, format: "json" | "csv") => {
    setError(null);
    try {
      await downloadFile(`/app/privacy/${id}/${format}`, `tsumiki-data-request-${customerId}.${format}`);
    } catch (failure) {
      setError(t("privacy.downloadFailed", { reason: (failure as Error).message }));
    }
  };

  const status = (request: (typeof requests)[number]) =>
    request.answeredAt ? (
      <Badge tone="success">{t("privacy.status.answered", { date: day(request.answeredAt, locale) })}</Badge>
    ) : request.overdue ? (
      <Badge tone="critical">{t("privacy.status.overdue")}</Badge>
    ) : (
      <Badge tone="attention">{t("privacy.status.open")}</Badge>
    );

  return (
    <Page title={t("privacy.title")} subtitle={t("privacy.subtitle", { count: PRIVACY_ANSWER_DAYS })}>
      <BlockStack gap="400">
        {(error || result?.error) && <Banner tone="critical">{error ?? result?.error}</Banner>}
        <Card>
          {requests.length === 0 ? (
            <Text as="p" tone="subdued">
              {t("privacy.none")}
            </Text>
          ) : (
            <DataTable
              columnContentTypes={["text", "text", "text", "text", "text"]}
              headings={[
                t("privacy.columns.customer"),
                t("privacy.columns.received"),
                t("privacy.columns.due"),
                t("privacy.columns.status"),
                t("privacy.columns.data"),
              ]}
              rows={requests.map((request) => [
                request.holdsData ? request.customerId : `${request.customerId} · ${t("privacy.nothingHeld")}`,
                day(request.receivedAt, locale),
                day(request.dueAt, locale),
                status(request),
                <InlineStack key={request.id} gap="200">
                  <Button size="slim" onClick={() => download(request.id, request.customerId, "json")}>
                    JSON
                  </Button>
                  <Button size="slim" onClick={() => download(request.id, request.customerId, "csv")}>
                    CSV
                  </Button>
                  {!request.answeredAt && (
                    <Button
                      size="slim"
                      variant="primary"
                      loading={busy}
                      onClick={() =>
                        submit(JSON.stringify({ intent: "answered", id: request.id }), {
                          method: "post",
                          encType: "application/json",
                          replace: true,
                        })
                      }
                    >
                      {t("privacy.markAnswered")}
                    </Button>
                  )}
                </InlineStack>,
              ])}
            />
          )}
        </Card>
      </BlockStack>
    </Page>
  );
}
