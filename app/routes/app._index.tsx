import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate, useNavigation, useSearchParams } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  DataTable,
  DatePicker,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Popover,
  Text,
} from "@shopify/polaris";
import { BarChart, DonutChart, LineChart, PolarisVizProvider } from "@shopify/polaris-viz";
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { useEffect, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { adminT, type AdminT } from "../i18n/catalog";
import { addDays, localDate, startOfLocalDay } from "../shared/calendar";
import { formatMoney, majorUnit } from "../shared/money";
import prisma from "../db.server";
import { programDashboard, type CampaignWindowFigures, type Dashboard } from "../reports/dashboard.server";
import { MIN_GROUP_MEMBERS, type Estimate } from "../reports/campaign-lift";
import { ensureShop } from "../shops/shops.server";
import { authenticate } from "../shopify.server";

export const links = () => [{ rel: "stylesheet", href: vizStyles }];

type Locale = "ja" | "en";

/** The range the page shows when the query names none: the last 30 shop-local days, today included. */
const DEFAULT_DAYS = 30;
/** Two years of days is as much as one trend chart can usefully show. */
const MAX_DAYS = 731;

type RangeError = "format" | "order" | "length";

const isDate = (value: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(value) &&
  !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
  new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

const rangeError = (t: AdminT, error: RangeError) =>
  error === "format"
    ? t("dashboard.errors.format")
    : error === "order"
      ? t("dashboard.errors.order")
      : t("dashboard.errors.length", { count: MAX_DAYS });

/** The inclusive shop-local dates the query asks for; a missing end is today, a missing start 30 days before it. */
function readRange(params: URLSearchParams, today: string): { from: string; to: string } | { error: RangeError } {
  const fromParam = params.get("from");
  const toParam = params.get("to");
  if ((fromParam !== null && !isDate(fromParam)) || (toParam !== null && !isDate(toParam))) return { error: "format" };
  const to = toParam ?? today;
  const from = fromParam ?? addDays(to, -(DEFAULT_DAYS - 1));
  if (from > to) return { error: "order" };
  if (daysBetween(from, to) + 1 > MAX_DAYS) return { error: "length" };
  return { from, to };
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const params = new URL(request.url).searchParams;
  const locale: Locale = params.get("locale")?.startsWith("ja") ? "ja" : "en";
  const intlLocale = locale === "ja" ? "ja-JP" : "en-US";
  const result = await prisma.$transaction(async (tx) => {
    const shop = await ensureShop(tx, session.shop);
    const today = localDate(new Date(), shop.timezone);
    const range = readRange(params, today);
    if ("error" in range) return range;
    const dashboard = await programDashboard(
      tx,
      session.shop,
      // Inclusive local dates become [start of the first day, start of the day after the last).
      { from: startOfLocalDay(range.from, shop.timezone), to: startOfLocalDay(addDays(range.to, 1), shop.timezone) },
      intlLocale,
    );
    return { locale, today, from: range.from, to: range.to, dashboard };
  });
  if ("error" in result) {
    return Response.json(
      { locale, error: rangeError(adminT(locale), result.error), code: result.error },
      { status: 400 },
    );
  }
  return result;
};

type Loaded =
  | { locale: Locale; today: string; from: string; to: string; dashboard: Dashboard }
  | { locale: Locale; error: string; code: RangeError };

/** YYYY-MM-DD as the browser-local midnight the date picker works in, and back. */
const pickerDate = (date: string) => {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(y, m - 1, d);
};
const isoDate = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;

/** "from – to", or the one day when the range is a single day. */
const rangeLabel = (t: AdminT, from: string, to: string) => (from === to ? from : t("dashboard.range", { from, to }));

function RangePicker({ from, to, today }: { from: string; to: string; today: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const loading = useNavigation().state === "loading";
  const [open, setOpen] = useState(false);
  const [selected, setSelected] = useState({ start: pickerDate(from), end: pickerDate(to) });
  const [view, setView] = useState({ month: pickerDate(to).getMonth(), year: pickerDate(to).getFullYear() });

  const presets = [
    { label: t("dashboard.presets.last7"), from: addDays(today, -6) },
    { label: t("dashboard.presets.last30"), from: addDays(today, -29) },
    { label: t("dashboard.presets.last90"), from: addDays(today, -89) },
    { label: t("dashboard.presets.thisYear"), from: `${today.slice(0, 4)}-01-01` },
  ];
  const choose = (start: string, end: string) => {
    setSelected({ start: pickerDate(start), end: pickerDate(end) });
    setView({ month: pickerDate(end).getMonth(), year: pickerDate(end).getFullYear() });
  };
  const apply = () => {
    setOpen(false);
    // Keep the embedded app's own parameters (shop, host, locale…): only the range changes.
    const next = new URLSearchParams(searchParams);
    next.set("from", isoDate(selected.start));
    next.set("to", isoDate(selected.end));
    navigate({ search: `?${next.toString()}` });
  };
  const activator = (
    <Button disclosure loading={loading} onClick={() => setOpen((was) => !was)}>
      {rangeLabel(t, from, to)}
    </Button>
  );

  return (
    <Popover active={open} activator={activator} onClose={() => setOpen(false)} preferredAlignment="left" fluidContent>
      <Popover.Pane fixed>
        <Box padding="400">
          <BlockStack gap="400">
            <InlineStack gap="400" wrap={false} blockAlign="start">
              <BlockStack gap="100">
                {presets.map((preset) => (
                  <Button
                    key={preset.label}
                    variant="tertiary"
                    textAlign="start"
                    pressed={isoDate(selected.start) === preset.from && isoDate(selected.end) === today}
                    onClick={() => choose(preset.from, today)}
                  >
                    {preset.label}
                  </Button>
                ))}
              </BlockStack>
              <Box minWidth="280px">
                <DatePicker
                  month={view.month}
                  year={view.year}
                  onMonthChange={(month, year) => setView({ month, year })}
                  selected={selected}
                  onChange={setSelected}
                  disableDatesAfter={pickerDate(today)}
                  allowRange
                />
              </Box>
            </InlineStack>
            <InlineStack align="end" gap="200">
              <Button onClick={() => setOpen(false)}>{t("common.cancel")}</Button>
              <Button variant="primary" onClick={apply}>
                {t("common.apply")}
              </Button>
            </InlineStack>
          </BlockStack>
        </Box>
      </Popover.Pane>
    </Popover>
  );
}

function Figure({ label, value, note }: { label: string; value: string; note?: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h2" variant="headingSm">
          {label}
        </Text>
        <Text as="p" variant="heading2xl">
          {value}
        </Text>
        {note ? (
          <Text as="p" tone="subdued" variant="bodySm">
            {note}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}

/**
 * polaris-viz measures the window while it renders, so a chart is drawn only in the browser, after
 * hydration; until then a box of the chart's height holds its place so nothing below it moves.
 */
function ChartCard({
  title,
  height,
  mounted,
  children,
}: {
  title: string;
  height: number;
  mounted: boolean;
  children: () => ReactNode;
}) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        <div style={{ height }}>
          {mounted ? <PolarisVizProvider defaultTheme="Light">{children()}</PolarisVizProvider> : null}
        </div>
      </BlockStack>
    </Card>
  );
}

export default function DashboardPage() {
  const loaded = useLoaderData() as Loaded;
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const { t } = useTranslation();

  if ("error" in loaded) {
    return (
      <Page title={t("dashboard.title")}>
        <Banner tone="critical" title={t("dashboard.badRange.title")}>
          <BlockStack gap="200">
            <Text as="p">{loaded.error}</Text>
            <InlineStack>
              <Button
                onClick={() => {
                  // The embedded app's own parameters stay; only the unreadable range goes.
                  const next = new URLSearchParams(searchParams);
                  next.delete("from");
                  next.delete("to");
                  navigate({ search: `?${next.toString()}` });
                }}
              >
                {t("dashboard.badRange.showDefault")}
              </Button>
            </InlineStack>
          </BlockStack>
        </Banner>
      </Page>
    );
  }

  const { dashboard: d, locale } = loaded;
  const intl = locale === "ja" ? "ja-JP" : "en-US";
  const count = (value: number) => new Intl.NumberFormat(intl).format(value);
  const money = (minor: number) => formatMoney({ minor, currency: d.currency }, intl);
  const percent = (value: number) =>
    new Intl.NumberFormat(intl, { style: "percent", maximumFractionDigits: 1 }).format(value);
  const major = majorUnit(d.currency);
  const shortDate = (value: string | number | null) =>
    String(value ?? "")
      .slice(5)
      .replace("-", "/");

  const figures = [
    {
      label: t("dashboard.members.title"),
      value: count(d.members.total),
      note: t("dashboard.members.new", { members: d.members.new }),
    },
    {
      label: t("dashboard.issued.title"),
      value: count(d.points.issued),
      note: t("dashboard.issued.reversed", { points: d.points.reversed }),
    },
    {
      label: t("dashboard.redeemed.title"),
      value: count(d.points.redeemed),
      note: t("dashboard.redeemed.returned", { points: d.points.returned }),
    },
    { label: t("dashboard.expired.title"), value: count(d.points.expired) },
    {
      label: t("dashboard.outstanding.title"),
      value: count(d.points.outstanding),
      note: t("dashboard.outstanding.note"),
    },
    {
      label: t("dashboard.liability.title"),
      value: d.liability.formatted,
      note: t("dashboard.liability.note", { value: money(d.pointValueMinor) }),
    },
    {
      label: t("dashboard.redemptionRate.title"),
      value: d.redemptionRate === null ? "—" : percent(d.redemptionRate),
      note: t("dashboard.redemptionRate.note"),
    },
  ];

  const vsBefore = (now: number, before: number, format: (value: number) => string) =>
    t("dashboard.campaigns.vsBefore", { now: format(now), before: format(before) });
  const change = (campaign: CampaignWindowFigures, before: CampaignWindowFigures) =>
    before.revenueMinor === 0
      ? "—"
      : `${campaign.revenueMinor >= before.revenueMinor ? "+" : ""}${percent(campaign.revenueMinor / before.revenueMinor - 1)}`;
  const status = {
    upcoming: t("dashboard.campaigns.status.upcoming"),
    active: t("dashboard.campaigns.status.active"),
    ended: t("dashboard.campaigns.status.ended"),
  };
  const campaignRows = d.campaigns.map((c) => [
    c.name,
    rangeLabel(t, c.startsAt.replace("T", " "), c.endsAt.replace("T", " ")),
    status[c.status],
    vsBefore(c.campaign.orders, c.before.orders, count),
    vsBefore(c.campaign.pointsEarned, c.before.pointsEarned, count),
    vsBefore(c.campaign.revenueMinor, c.before.revenueMinor, money),
    change(c.campaign, c.before),
  ]);
  const interval = (estimate: Estimate, format: (value: number) => string) =>
    t("campaignLift.interval", {
      value: format(Math.round(estimate.value)),
      low: format(Math.round(estimate.low)),
      high: format(Math.round(estimate.high)),
    });
  const controlled = d.campaigns.flatMap((c) => (c.control ? [{ id: c.id, name: c.name, ...c.control }] : []));
  const campaignColumns = [
    t("dashboard.campaigns.columns.campaign"),
    t("dashboard.campaigns.columns.window"),
    t("dashboard.campaigns.columns.status"),
    t("dashboard.campaigns.columns.orders"),
    t("dashboard.campaigns.columns.pointsEarned"),
    t("dashboard.campaigns.columns.revenue"),
    t("dashboard.campaigns.columns.revenueChange"),
  ];

  return (
    <Page
      title={t("dashboard.title")}
      primaryAction={
        <RangePicker from={loaded.from} to={loaded.to} today={loaded.today} key={`${loaded.from}:${loaded.to}`} />
      }
    >
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
            {figures.map((figure) => (
              <Figure key={figure.label} {...figure} />
            ))}
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <ChartCard title={t("dashboard.trend.title")} height={300} mounted={mounted}>
            {() => (
              <LineChart
                data={[
                  {
                    name: t("dashboard.issued.title"),
                    data: d.trend.map((day) => ({ key: day.date, value: day.issued })),
                  },
                  {
                    name: t("dashboard.redeemed.title"),
                    data: d.trend.map((day) => ({ key: day.date, value: day.redeemed })),
                  },
                ]}
                xAxisOptions={{ labelFormatter: shortDate }}
                yAxisOptions={{ integersOnly: true }}
              />
            )}
          </ChartCard>
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <ChartCard title={t("dashboard.tiers.title")} height={260} mounted={mounted}>
            {() => (
              <DonutChart
                data={d.tiers.map((tier) => ({
                  name: tier.tierId === null ? t("common.noTier") : tier.name,
                  data: [{ key: t("dashboard.members.title"), value: tier.members }],
                }))}
                legendPosition="right"
              />
            )}
          </ChartCard>
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <ChartCard title={t("dashboard.revenue.title")} height={260} mounted={mounted}>
            {() => (
              <BarChart
                data={[
                  {
                    name: t("dashboard.revenue.series"),
                    data: [
                      { key: t("dashboard.revenue.members"), value: d.revenue.members.revenueMinor / major },
                      { key: t("dashboard.revenue.guests"), value: d.revenue.nonMembers.revenueMinor / major },
                    ],
                  },
                ]}
                showLegend={false}
                yAxisOptions={{ labelFormatter: (value) => money(Math.round(Number(value ?? 0) * major)) }}
              />
            )}
          </ChartCard>
          <Box paddingBlockStart="200">
            <Text as="p" tone="subdued" variant="bodySm">
              {t("dashboard.revenue.ordersNote", {
                members: t("dashboard.revenue.memberOrders", { count: d.revenue.members.orders }),
                guests: t("dashboard.revenue.guestOrders", { count: d.revenue.nonMembers.orders }),
              })}
            </Text>
          </Box>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t("dashboard.campaigns.title")}
              </Text>
              {campaignRows.length === 0 ? (
                <Text as="p" tone="subdued">
                  {t("dashboard.campaigns.none")}
                </Text>
              ) : (
                <>
                  <DataTable
                    columnContentTypes={["text", "text", "text", "numeric", "numeric", "numeric", "numeric"]}
                    headings={campaignColumns}
                    rows={campaignRows}
                  />
                  <Text as="p" tone="subdued" variant="bodySm">
                    {t("dashboard.campaigns.beforeAfter")} {t("dashboard.campaigns.beforeNote")}
                  </Text>
                  {controlled.map((c) => (
                    <BlockStack gap="100" key={c.id}>
                      <Text as="h3" variant="headingSm">
                        {t("campaignLift.title", { name: c.name, percent: c.holdoutPercent })}
                      </Text>
                      {c.lift === null ? (
                        <Text as="p" tone="subdued">
                          {t("campaignLift.tooFew", { minimum: MIN_GROUP_MEMBERS })}
                        </Text>
                      ) : (
                        <>
                          <Text as="p">
                            {t("campaignLift.groups", {
                              treatment: count(c.lift.treatmentMembers),
                              control: count(c.lift.controlMembers),
                            })}
                          </Text>
                          <Text as="p">
                            {t("campaignLift.orders", { value: interval(c.lift.incrementalOrders, count) })}
                          </Text>
                          <Text as="p">
                            {t("campaignLift.revenue", { value: interval(c.lift.incrementalRevenueMinor, money) })}
                          </Text>
                          <Text as="p">
                            {t("campaignLift.cost", {
                              points: count(c.lift.pointsCost),
                              value: money(c.lift.pointsCostMinor),
                            })}
                          </Text>
                          {!c.lift.significant && (
                            <Text as="p" tone="caution">
                              {t("campaignLift.notSignificant")}
                            </Text>
                          )}
                          {c.lift.population === "buyers" && (
                            <Text as="p" tone="subdued" variant="bodySm">
                              {t("campaignLift.buyersOnly")}
                            </Text>
                          )}
                        </>
                      )}
                    </BlockStack>
                  ))}
                </>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
