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
import { addDays, localDate, startOfLocalDay } from "../shared/calendar";
import { formatMoney, majorUnit } from "../shared/money";
import prisma from "../db.server";
import { programDashboard, type CampaignWindowFigures, type Dashboard } from "../reports/dashboard.server";
import { ensureShop } from "../shops/shops.server";
import { authenticate } from "../shopify.server";

export const links = () => [{ rel: "stylesheet", href: vizStyles }];

type Locale = "ja" | "en";

/** The range the page shows when the query names none: the last 30 shop-local days, today included. */
const DEFAULT_DAYS = 30;
/** Two years of days is as much as one trend chart can usefully show. */
const MAX_DAYS = 731;

const labels = {
  en: {
    title: "Dashboard",
    range: (from: string, to: string) => (from === to ? from : `${from} – ${to}`),
    presets: { last7: "Last 7 days", last30: "Last 30 days", last90: "Last 90 days", thisYear: "This year" },
    apply: "Apply",
    cancel: "Cancel",
    members: "Members",
    newMembers: (count: string) => `${count} joined in this period`,
    issued: "Points issued",
    reversedNote: (points: string) => `${points} taken back by refunds`,
    redeemed: "Points redeemed",
    returnedNote: (points: string) => `${points} given back (refunds, unused reward codes)`,
    expired: "Points expired",
    outstanding: "Points outstanding",
    outstandingNote: "Available, pending and held by checkouts, now",
    liability: "Outstanding liability",
    liabilityNote: (value: string) => `At ${value} per point`,
    redemptionRate: "Redemption rate",
    redemptionRateNote: "Redeemed ÷ issued in this period",
    none: "—",
    trend: "Points issued and redeemed by day",
    tiers: "Members by tier",
    noTier: "No tier",
    revenue: "Revenue: members and non-members",
    revenueSeries: "Revenue (after refunds)",
    memberOrders: "Members",
    guestOrders: "Non-members",
    ordersNote: (members: string, guests: string) => `${members} member orders, ${guests} non-member orders`,
    campaigns: "Campaign performance",
    noCampaigns: "The program has no campaigns.",
    campaignColumns: ["Campaign", "Window", "Status", "Orders", "Points earned", "Revenue", "Revenue change"],
    beforeNote: "Each figure is shown with the same length of time just before the campaign, in brackets.",
    status: { upcoming: "Upcoming", active: "Active", ended: "Ended" },
    badRange: "That date range could not be read. Showing the last 30 days instead.",
    showDefault: "Show the last 30 days",
    errors: {
      format: "Dates must be written YYYY-MM-DD.",
      order: "The start date is after the end date.",
      length: `A range can cover at most ${MAX_DAYS} days.`,
    },
  },
  ja: {
    title: "ダッシュボード",
    range: (from: string, to: string) => (from === to ? from : `${from} 〜 ${to}`),
    presets: { last7: "過去7日間", last30: "過去30日間", last90: "過去90日間", thisYear: "今年" },
    apply: "適用",
    cancel: "キャンセル",
    members: "会員数",
    newMembers: (count: string) => `期間中の新規会員 ${count}人`,
    issued: "付与ポイント",
    reversedNote: (points: string) => `返金による取り消し ${points}`,
    redeemed: "利用ポイント",
    returnedNote: (points: string) => `返金・未使用の特典コードで返還 ${points}`,
    expired: "失効ポイント",
    outstanding: "未使用ポイント残高",
    outstandingNote: "利用可能・保留中・チェックアウトで確保中の合計（現在）",
    liability: "ポイント負債額",
    liabilityNote: (value: string) => `1ポイント＝${value}で換算`,
    redemptionRate: "ポイント利用率",
    redemptionRateNote: "期間中の利用ポイント ÷ 付与ポイント",
    none: "—",
    trend: "日別の付与・利用ポイント",
    tiers: "ランク別の会員数",
    noTier: "ランクなし",
    revenue: "売上：会員と非会員",
    revenueSeries: "売上（返金後）",
    memberOrders: "会員",
    guestOrders: "非会員",
    ordersNote: (members: string, guests: string) => `会員の注文 ${members}件、非会員の注文 ${guests}件`,
    campaigns: "キャンペーンの効果",
    noCampaigns: "キャンペーンはありません。",
    campaignColumns: ["キャンペーン", "期間", "状態", "注文数", "付与ポイント", "売上", "売上の増減"],
    beforeNote: "括弧内は、キャンペーン直前の同じ長さの期間の数値です。",
    status: { upcoming: "開始前", active: "実施中", ended: "終了" },
    badRange: "期間を読み取れませんでした。過去30日間を表示しています。",
    showDefault: "過去30日間を表示",
    errors: {
      format: "日付はYYYY-MM-DDの形式で指定してください。",
      order: "開始日が終了日より後になっています。",
      length: `期間は最長${MAX_DAYS}日です。`,
    },
  },
};

type RangeError = keyof (typeof labels)["en"]["errors"];

const isDate = (value: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(value) &&
  !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
  new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

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
    return Response.json({ locale, error: labels[locale].errors[result.error], code: result.error }, { status: 400 });
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

function RangePicker({ from, to, today, locale }: { from: string; to: string; today: string; locale: Locale }) {
  const t = labels[locale];
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const loading = useNavigation().state === "loading";
  const [open, setOpen] = useState(false);
  const [selected, setSelected] = useState({ start: pickerDate(from), end: pickerDate(to) });
  const [view, setView] = useState({ month: pickerDate(to).getMonth(), year: pickerDate(to).getFullYear() });

  const presets = [
    { label: t.presets.last7, from: addDays(today, -6) },
    { label: t.presets.last30, from: addDays(today, -29) },
    { label: t.presets.last90, from: addDays(today, -89) },
    { label: t.presets.thisYear, from: `${today.slice(0, 4)}-01-01` },
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
      {t.range(from, to)}
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
              <Button onClick={() => setOpen(false)}>{t.cancel}</Button>
              <Button variant="primary" onClick={apply}>
                {t.apply}
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
  const t = labels[loaded.locale];

  if ("error" in loaded) {
    return (
      <Page title={t.title}>
        <Banner tone="critical" title={t.badRange}>
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
                {t.showDefault}
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
    { label: t.members, value: count(d.members.total), note: t.newMembers(count(d.members.new)) },
    { label: t.issued, value: count(d.points.issued), note: t.reversedNote(count(d.points.reversed)) },
    { label: t.redeemed, value: count(d.points.redeemed), note: t.returnedNote(count(d.points.returned)) },
    { label: t.expired, value: count(d.points.expired) },
    { label: t.outstanding, value: count(d.points.outstanding), note: t.outstandingNote },
    { label: t.liability, value: d.liability.formatted, note: t.liabilityNote(money(d.pointValueMinor)) },
    {
      label: t.redemptionRate,
      value: d.redemptionRate === null ? t.none : percent(d.redemptionRate),
      note: t.redemptionRateNote,
    },
  ];

  const vsBefore = (now: number, before: number, format: (value: number) => string) =>
    `${format(now)} (${format(before)})`;
  const change = (campaign: CampaignWindowFigures, before: CampaignWindowFigures) =>
    before.revenueMinor === 0
      ? t.none
      : `${campaign.revenueMinor >= before.revenueMinor ? "+" : ""}${percent(campaign.revenueMinor / before.revenueMinor - 1)}`;
  const campaignRows = d.campaigns.map((c) => [
    c.name,
    t.range(c.startsAt.replace("T", " "), c.endsAt.replace("T", " ")),
    t.status[c.status],
    vsBefore(c.campaign.orders, c.before.orders, count),
    vsBefore(c.campaign.pointsEarned, c.before.pointsEarned, count),
    vsBefore(c.campaign.revenueMinor, c.before.revenueMinor, money),
    change(c.campaign, c.before),
  ]);

  return (
    <Page
      title={t.title}
      primaryAction={
        <RangePicker
          from={loaded.from}
          to={loaded.to}
          today={loaded.today}
          locale={locale}
          key={`${loaded.from}:${loaded.to}`}
        />
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
          <ChartCard title={t.trend} height={300} mounted={mounted}>
            {() => (
              <LineChart
                data={[
                  { name: t.issued, data: d.trend.map((day) => ({ key: day.date, value: day.issued })) },
                  { name: t.redeemed, data: d.trend.map((day) => ({ key: day.date, value: day.redeemed })) },
                ]}
                xAxisOptions={{ labelFormatter: shortDate }}
                yAxisOptions={{ integersOnly: true }}
              />
            )}
          </ChartCard>
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <ChartCard title={t.tiers} height={260} mounted={mounted}>
            {() => (
              <DonutChart
                data={d.tiers.map((tier) => ({
                  name: tier.tierId === null ? t.noTier : tier.name,
                  data: [{ key: t.members, value: tier.members }],
                }))}
                legendPosition="right"
              />
            )}
          </ChartCard>
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <ChartCard title={t.revenue} height={260} mounted={mounted}>
            {() => (
              <BarChart
                data={[
                  {
                    name: t.revenueSeries,
                    data: [
                      { key: t.memberOrders, value: d.revenue.members.revenueMinor / major },
                      { key: t.guestOrders, value: d.revenue.nonMembers.revenueMinor / major },
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
              {t.ordersNote(count(d.revenue.members.orders), count(d.revenue.nonMembers.orders))}
            </Text>
          </Box>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t.campaigns}
              </Text>
              {campaignRows.length === 0 ? (
                <Text as="p" tone="subdued">
                  {t.noCampaigns}
                </Text>
              ) : (
                <>
                  <DataTable
                    columnContentTypes={["text", "text", "text", "numeric", "numeric", "numeric", "numeric"]}
                    headings={t.campaignColumns}
                    rows={campaignRows}
                  />
                  <Text as="p" tone="subdued" variant="bodySm">
                    {t.beforeNote}
                  </Text>
                </>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
