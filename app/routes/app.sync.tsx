import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, InlineStack, Page, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import prisma from "../db.server";
import { adminLocale, dateTime, type AdminLocale } from "../i18n/admin-locale";
import { authenticate } from "../shopify.server";
import type { SyncPhase } from "../sync/bulk-state";
import { requestSync, startMessage, syncOverview, type SyncView } from "../sync/sync-page.server";

// GET /app/sync: the latest bulk sync of each kind, how it ended, and why it wrote nothing when it did not.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const locale = adminLocale(request);
  return { locale, ...(await syncOverview(prisma, session.shop, locale)) };
};

// POST {kind: "customers" | "products"}: sync that kind now.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const body = (await request.json().catch(() => null)) as { kind?: unknown } | null;
  if (body?.kind !== "customers" && body?.kind !== "products") {
    return Response.json({ error: "kind must be customers or products" }, { status: 400 });
  }
  const result = await requestSync(prisma, session.shop, body.kind, `staff:${sessionToken?.sub ?? "unknown"}`);
  return Response.json({ outcome: result.outcome, ...startMessage(result, adminLocale(request)) });
};

const TONE: Record<SyncPhase, "info" | "attention" | "success" | "critical"> = {
  queued: "info",
  running: "attention",
  applying: "attention",
  synced: "success",
  failed: "critical",
  refused: "critical",
};

function SyncCard({ kind, latest, locale }: { kind: string; latest: SyncView | null; locale: AdminLocale }) {
  const { t } = useTranslation();
  const submit = useSubmit();
  const busy = useNavigation().state !== "idle";
  const title = {
    customers: t("sync.kinds.customers"),
    products: t("sync.kinds.products"),
    orders: t("sync.kinds.orders"),
  };
  const phase: Record<SyncPhase, string> = {
    queued: t("sync.phase.queued"),
    running: t("sync.phase.running"),
    applying: t("sync.phase.applying"),
    synced: t("sync.phase.synced"),
    failed: t("sync.phase.failed"),
    refused: t("sync.phase.refused"),
  };
  const button = kind === "customers" ? t("sync.syncCustomers") : t("sync.syncCatalogue");
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {title[kind as keyof typeof title]}
          </Text>
          {latest && <Badge tone={TONE[latest.phase]}>{phase[latest.phase]}</Badge>}
        </InlineStack>
        {latest ? (
          <BlockStack gap="100">
            <Text as="p">{t("sync.requested", { at: dateTime(latest.createdAt, locale) })}</Text>
            {latest.objectCount !== null && <Text as="p">{t("sync.objects", { count: latest.objectCount })}</Text>}
            {latest.processedAt && (
              <Text as="p">
                {t("sync.applied", { count: latest.processed, at: dateTime(latest.processedAt, locale) })}
              </Text>
            )}
            {latest.error && (
              <Banner tone="critical">
                <BlockStack gap="100">
                  <Text as="p">{latest.error}</Text>
                  {latest.retrying && <Text as="p">{t("sync.retrying")}</Text>}
                </BlockStack>
              </Banner>
            )}
          </BlockStack>
        ) : (
          <Text as="p" tone="subdued">
            {t("sync.never")}
          </Text>
        )}
        {kind !== "orders" && (
          <InlineStack>
            <Button
              loading={busy}
              onClick={() =>
                submit(JSON.stringify({ kind }), { method: "post", encType: "application/json", replace: true })
              }
            >
              {button}
            </Button>
          </InlineStack>
        )}
      </BlockStack>
    </Card>
  );
}

export default function SyncPage() {
  const { locale, kinds } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as
    { tone?: "success" | "info" | "critical"; text?: string } | undefined;
  const { t } = useTranslation();
  return (
    <Page title={t("sync.title")} subtitle={t("sync.subtitle")}>
      <BlockStack gap="400">
        {result?.text && <Banner tone={result.tone}>{result.text}</Banner>}
        {kinds.map(({ kind, latest }) => (
          <SyncCard key={kind} kind={kind} latest={latest} locale={locale} />
        ))}
      </BlockStack>
    </Page>
  );
}
