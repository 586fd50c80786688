import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, DataTable, InlineStack, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { TableCard } from "../components/TableCard";
import prisma from "../db.server";
import { adminLocale, dateTime, type AdminLocale } from "../i18n/admin-locale";
import { adminT } from "../i18n/catalog";
import { ensureShop } from "../shops/shops.server";
import { AdminApiError } from "../shopify/admin-api.server";
import { authenticate } from "../shopify.server";
import { checkAgain, MAX_CHECK_DAYS, ReconcileRefused } from "../sync/reconciliation.server";
import { parseCheckDays, webhookHealth } from "../webhooks/health.server";

// GET /app/webhooks: per topic what arrived and what failed, what reconciliation recovered, and its watermark.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await prisma.$transaction((tx) => ensureShop(tx, session.shop));
  return { locale: adminLocale(request) as AdminLocale, ...(await webhookHealth(prisma, shop)) };
};

// POST {days}: check Shopify's orders of the last `days` days again and apply anything the app missed.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const t = adminT(adminLocale(request));
  const body = (await request.json().catch(() => null)) as { days?: unknown } | null;
  const days = parseCheckDays(body?.days);
  if (days === null) {
    return Response.json(
      { errors: { days: t("webhookHealth.check.invalidDays", { max: MAX_CHECK_DAYS }) } },
      { status: 422 },
    );
  }
  try {
    const result = await checkAgain(prisma, session.shop, days, `staff:${sessionToken?.sub ?? "unknown"}`);
    return Response.json({ checked: result });
  } catch (error) {
    if (error instanceof ReconcileRefused) return Response.json({ error: error.message }, { status: 422 });
    if (error instanceof AdminApiError) {
      return Response.json({ error: t("webhookHealth.check.shopifyFailed") }, { status: 502 });
    }
    throw error;
  }
};

type ActionResult =
  | { checked?: { ordersChecked: number; eventsRecovered: number }; error?: string; errors?: { days?: string } }
  | undefined;

export default function WebhookHealthPage() {
  const data = useLoaderData<typeof loader>();
  const { locale } = data;
  const result = useActionData<typeof action>() as ActionResult;
  const { t } = useTranslation();
  const submit = useSubmit();
  const busy = useNavigation().state !== "idle";
  const [days, setDays] = useState("7");
  const when = (iso: string | null) => dateTime(iso, locale);
  const modes: Record<string, string> = {
    window: t("webhookHealth.runs.modes.window"),
    bulk: t("webhookHealth.runs.modes.bulk"),
    manual: t("webhookHealth.runs.modes.manual"),
  };
  const statuses: Record<string, string> = {
    running: t("webhookHealth.runs.statuses.running"),
    completed: t("webhookHealth.runs.statuses.completed"),
    failed: t("webhookHealth.runs.statuses.failed"),
  };
  const failureRows = (rows: typeof data.failures) =>
    rows.map((failure) => [
      when(failure.receivedAt),
      failure.topic,
      failure.status,
      failure.reason,
      failure.retried ? t("webhookHealth.failures.retried") : "—",
    ]);
  const failureHeadings = [
    t("webhookHealth.failures.date"),
    t("webhookHealth.failures.topic"),
    t("webhookHealth.failures.status"),
    t("webhookHealth.failures.reason"),
    t("webhookHealth.failures.retry"),
  ];

  return (
    <Page title={t("webhookHealth.title")} subtitle={t("webhookHealth.subtitle")}>
      <BlockStack gap="400">
        {result?.error && <Banner tone="critical">{result.error}</Banner>}
        {result?.checked && (
          <Banner tone="success">
            {t("webhookHealth.check.done", {
              count: result.checked.ordersChecked,
              recovered: result.checked.eventsRecovered,
            })}
          </Banner>
        )}
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              {t("webhookHealth.reconciliation.title")}
            </Text>
            <Text as="p">
              {data.watermark
                ? t("webhookHealth.reconciliation.watermark", { date: when(data.watermark) })
                : t("webhookHealth.reconciliation.never")}
            </Text>
            <Text as="p" tone="subdued">
              {t("webhookHealth.check.help")}
            </Text>
            <InlineStack gap="300" blockAlign="end">
              <TextField
                label={t("webhookHealth.check.days")}
                type="number"
                min={1}
                max={data.maxCheckDays}
                value={days}
                onChange={setDays}
                error={result?.errors?.days}
                helpText={t("webhookHealth.check.range", { max: data.maxCheckDays })}
                autoComplete="off"
              />
              <Button
                variant="primary"
                loading={busy}
                onClick={() =>
                  submit(JSON.stringify({ days }), { method: "post", encType: "application/json", replace: true })
                }
              >
                {t("webhookHealth.check.submit")}
              </Button>
            </InlineStack>
          </BlockStack>
        </Card>
        <TableCard
          title={t("webhookHealth.topics.title")}
          empty={data.topics.length === 0 ? t("webhookHealth.topics.none") : null}
          columnContentTypes={["text", "numeric", "text", "numeric", "text", "numeric"]}
          headings={[
            t("webhookHealth.topics.topic"),
            t("webhookHealth.topics.received"),
            t("webhookHealth.topics.lastReceived"),
            t("webhookHealth.topics.failed"),
            t("webhookHealth.topics.lastFailed"),
            t("webhookHealth.topics.recovered"),
          ]}
          rows={data.topics.map((topic) => [
            topic.topic,
            topic.received,
            when(topic.lastReceivedAt),
            topic.failed,
            when(topic.lastFailedAt),
            topic.recovered,
          ])}
        />
        <TableCard
          title={t("webhookHealth.failures.title")}
          empty={data.failures.length === 0 ? t("webhookHealth.failures.none") : null}
          columnContentTypes={["text", "text", "numeric", "text", "text"]}
          headings={failureHeadings}
          rows={failureRows(data.failures)}
        />
        {data.unreachable.length > 0 && (
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("webhookHealth.unreachable.title")}
              </Text>
              <Text as="p" tone="subdued">
                {t("webhookHealth.unreachable.help")}
              </Text>
              <DataTable
                columnContentTypes={["text", "text", "numeric", "text", "text"]}
                headings={failureHeadings}
                rows={failureRows(data.unreachable)}
              />
            </BlockStack>
          </Card>
        )}
        <TableCard
          title={t("webhookHealth.recovered.title")}
          empty={data.recovered.length === 0 ? t("webhookHealth.recovered.none") : null}
          columnContentTypes={["text", "text", "text", "text"]}
          headings={[
            t("webhookHealth.recovered.date"),
            t("webhookHealth.recovered.order"),
            t("webhookHealth.recovered.topic"),
            t("webhookHealth.recovered.outcome"),
          ]}
          rows={data.recovered.map((event) => [
            when(event.recoveredAt),
            event.orderId,
            event.topic,
            event.detail ? `${event.outcome}: ${event.detail}` : event.outcome,
          ])}
        />
        <TableCard
          title={t("webhookHealth.runs.title")}
          empty={data.runs.length === 0 ? t("webhookHealth.runs.none") : null}
          columnContentTypes={["text", "text", "text", "text", "numeric", "numeric", "text"]}
          headings={[
            t("webhookHealth.runs.started"),
            t("webhookHealth.runs.mode"),
            t("webhookHealth.runs.window"),
            t("webhookHealth.runs.status"),
            t("webhookHealth.runs.ordersChecked"),
            t("webhookHealth.runs.eventsRecovered"),
            t("webhookHealth.runs.note"),
          ]}
          rows={data.runs.map((run) => [
            when(run.startedAt),
            modes[run.mode] ?? run.mode,
            `${when(run.since)} – ${when(run.until)}`,
            statuses[run.status] ?? run.status,
            run.ordersChecked,
            run.eventsRecovered,
            run.error ?? run.requestedBy ?? "",
          ])}
        />
      </BlockStack>
    </Page>
  );
}
