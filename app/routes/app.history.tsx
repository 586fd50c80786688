import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useRevalidator, useSubmit } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  InlineStack,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import prisma from "../db.server";
import { adminLocale, day, type AdminLocale } from "../i18n/admin-locale";
import { formatMoney } from "../shared/money";
import { requireInstalledShop } from "../shops/shops.server";
import { authenticate } from "../shopify.server";
import { MAX_HISTORY_MONTHS } from "../sync/order-history";
import { historyReadings, HistoryRefused, requestOrderHistory, startHistoryAward } from "../sync/order-history.server";
import { settleUnsuccessfulOrderOperations } from "../sync/orders-bulk.server";

// GET /app/history: the shop's orders from before the install, read from Shopify; what awarding them would do.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await requireInstalledShop(prisma, session.shop);
  await settleUnsuccessfulOrderOperations(prisma, shop.id);
  const locale = adminLocale(request) as AdminLocale;
  const readings = (await historyReadings(prisma, shop.id)).map((reading) => ({
    id: reading.id,
    months: reading.months,
    since: reading.since.toISOString(),
    until: reading.until.toISOString(),
    status: reading.status,
    orders: reading.orders,
    memberOrders: reading.memberOrders,
    members: reading.members,
    points: reading.points,
    liability: formatMoney({ minor: reading.liabilityMinor, currency: reading.currency }, locale),
    awardedOrders: reading.awardedOrders,
    awardedPoints: reading.awardedPoints,
    error: reading.error,
    createdAt: reading.createdAt.toISOString(),
  }));
  return { locale, readings, maxMonths: MAX_HISTORY_MONTHS };
};

// POST {intent: "read", months} starts reading; {intent: "award", id} awards a previewed reading.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const body = (await request.json().catch(() => null)) as { intent?: unknown; months?: unknown; id?: unknown } | null;
  const staff = `staff:${sessionToken?.sub ?? "unknown"}`;
  try {
    if (body?.intent === "read") {
      const reading = await requestOrderHistory(prisma, session.shop, body.months, staff);
      return Response.json({ ok: "reading", id: reading.id });
    }
    if (body?.intent === "award" && typeof body.id === "string") {
      await startHistoryAward(prisma, session.shop, body.id, staff);
      return Response.json({ ok: "awarding", id: body.id });
    }
  } catch (error) {
    if (error instanceof HistoryRefused) return Response.json({ error: error.message }, { status: 400 });
    throw error;
  }
  return Response.json(
    { error: 'send {"intent": "read", "months": 1–24} or {"intent": "award", "id": …}' },
    { status: 400 },
  );
};

type Reading = ReturnType<typeof useLoaderData<typeof loader>>["readings"][number];

const TONES = {
  reading: "info",
  previewed: "attention",
  awarding: "info",
  awarded: "success",
  failed: "critical",
} as const;

export default function OrderHistoryPage() {
  const { locale, readings, maxMonths } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { ok?: string; error?: string } | undefined;
  const { t } = useTranslation();
  const submit = useSubmit();
  const busy = useNavigation().state !== "idle";
  const [months, setMonths] = useState("12");
  const post = (body: Record<string, unknown>) =>
    submit(JSON.stringify(body), { method: "post", encType: "application/json", replace: true });

  // Each key spelled out, so the catalog test can check them.
  const failures: Record<string, (detail: string) => string> = {
    shopify: (detail) => t("history.errors.shopify", { detail }),
    result: (detail) => t("history.errors.result", { detail }),
    ended: (detail) => t("history.errors.ended", { detail }),
    rejected: () => t("history.errors.rejected"),
    unreadable: (detail) => t("history.errors.unreadable", { detail }),
  };
  const failure = (reading: Reading) => {
    const [code, ...rest] = (reading.error ?? "").split(":");
    return (failures[code] ?? (() => t("history.errors.unknown")))(rest.join(":"));
  };
  const statuses: Record<string, string> = {
    reading: t("history.status.reading"),
    previewed: t("history.status.previewed"),
    awarding: t("history.status.awarding"),
    awarded: t("history.status.awarded"),
    failed: t("history.status.failed"),
  };
  const started: Record<string, string> = {
    reading: t("history.started.reading"),
    awarding: t("history.started.awarding"),
  };
  const latest = readings[0];
  const underWay = latest && (latest.status === "reading" || latest.status === "awarding");
  // While Shopify reads or the award runs, the page looks again every few seconds, as its banner promises.
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!underWay) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 3000);
    return () => clearInterval(timer);
  }, [underWay, revalidator]);

  return (
    <Page title={t("history.title")} subtitle={t("history.subtitle")}>
      <BlockStack gap="400">
        {result?.error && <Banner tone="critical">{result.error}</Banner>}
        {result?.ok && underWay && started[result.ok] && <Banner tone="success">{started[result.ok]}</Banner>}
        <Card>
          <BlockStack gap="300">
            <Text as="p">{t("history.explain")}</Text>
            <InlineStack gap="300" blockAlign="end">
              <TextField
                label={t("history.months", { max: maxMonths })}
                type="number"
                min={1}
                max={maxMonths}
                value={months}
                onChange={setMonths}
                autoComplete="off"
              />
              <Button
                variant="primary"
                loading={busy}
                disabled={Boolean(underWay)}
                onClick={() => post({ intent: "read", months })}
              >
                {t("history.read")}
              </Button>
            </InlineStack>
          </BlockStack>
        </Card>
        {latest?.status === "previewed" && (
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t("history.preview.title")}
              </Text>
              <Text as="p">
                {t("history.preview.summary", {
                  points: latest.points.toLocaleString(locale),
                  members: latest.members.toLocaleString(locale),
                  liability: latest.liability,
                  orders: latest.memberOrders.toLocaleString(locale),
                })}
              </Text>
              <Text as="p" tone="subdued">
                {t("history.preview.note")}
              </Text>
              <InlineStack>
                <Button
                  variant="primary"
                  tone="critical"
                  loading={busy}
                  onClick={() => post({ intent: "award", id: latest.id })}
                >
                  {t("history.preview.award", { points: latest.points.toLocaleString(locale) })}
                </Button>
              </InlineStack>
            </BlockStack>
          </Card>
        )}
        <Card>
          {readings.length === 0 ? (
            <Text as="p" tone="subdued">
              {t("history.none")}
            </Text>
          ) : (
            <DataTable
              columnContentTypes={["text", "text", "text", "numeric", "numeric", "text"]}
              headings={[
                t("history.columns.requested"),
                t("history.columns.window"),
                t("history.columns.status"),
                t("history.columns.orders"),
                t("history.columns.points"),
                t("history.columns.detail"),
              ]}
              rows={readings.map((reading) => [
                day(reading.createdAt, locale),
                `${day(reading.since, locale)} – ${day(reading.until, locale)}`,
                <Badge key={reading.id} tone={TONES[reading.status as keyof typeof TONES]}>
                  {statuses[reading.status] ?? reading.status}
                </Badge>,
                reading.orders.toLocaleString(locale),
                (reading.status === "awarded" ? reading.awardedPoints : reading.points).toLocaleString(locale),
                reading.status === "failed"
                  ? failure(reading)
                  : reading.status === "awarded"
                    ? t("history.awardedDetail", { orders: reading.awardedOrders.toLocaleString(locale) })
                    : "",
              ])}
            />
          )}
        </Card>
      </BlockStack>
    </Page>
  );
}
