import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  InlineGrid,
  InlineStack,
  Page,
  Select,
  Text,
} from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import prisma from "../db.server";
import { adminLocale, dateTime, type AdminLocale } from "../i18n/admin-locale";
import type { AdminT } from "../i18n/catalog";
import { isPeriod, lastMonth, shiftPeriod } from "../insights/monthly-figures.server";
import { monthlyReport } from "../insights/reports.server";
import { parseRejection, rejectionText } from "../insights/rejection";
import {
  formatAmount,
  formatCount,
  monthName,
  type MonthFlows,
  type MonthlyFigures,
  type ReportLocale,
} from "../insights/report-text";
import { ensureShop } from "../shops/shops.server";
import { authenticate } from "../shopify.server";
import { staffJsonAction } from "../staff/staff-action.server";

const MONTHS_OFFERED = 24;

function reportLanguage(value: string | null | undefined, fallback: AdminLocale): ReportLocale {
  return value === "ja" || value === "en" ? value : fallback;
}

/** Months that have ended, the latest first: a month still running would be stored half-counted. */
function offeredMonths(latest: string): string[] {
  return Array.from({ length: MONTHS_OFFERED }, (_, i) => shiftPeriod(latest, -i));
}

// GET /app/insights/report?month=2026-11&lang=ja: the stored report, written now if there is none yet.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const locale = adminLocale(request);
  const language = reportLanguage(url.searchParams.get("lang"), locale);
  const shop = await prisma.$transaction((tx) => ensureShop(tx, session.shop));
  const latest = lastMonth(new Date(), shop.timezone);
  const asked = url.searchParams.get("month") ?? "";
  const period = isPeriod(asked) && asked <= latest ? asked : latest;
  const report = await monthlyReport(prisma, shop, period, language);
  return {
    locale,
    language,
    period,
    months: offeredMonths(latest),
    report: {
      text: report.text,
      source: report.source,
      rejection: parseRejection(report.rejectedReason),
      figures: report.figures as unknown as MonthlyFigures,
      writtenAt: report.createdAt.toISOString(),
    },
  };
};

// POST { month, lang }: writes the report again, from today's figures and, if configured, the model.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { staff, body } = await staffJsonAction(request, "program");
  const input = (body ?? {}) as { month?: unknown; lang?: unknown };
  const latest = lastMonth(new Date(), staff.shop.timezone);
  if (typeof input.month !== "string" || !isPeriod(input.month) || input.month > latest) {
    return Response.json({ error: "month" }, { status: 400 });
  }
  const language = reportLanguage(typeof input.lang === "string" ? input.lang : null, adminLocale(request));
  const report = await monthlyReport(prisma, staff.shop, input.month, language, { regenerate: true });
  return Response.json({ regenerated: true, source: report.source });
};

type Row = [string, string, string];

function figureRows(f: MonthlyFigures, locale: AdminLocale, t: AdminT): Row[] {
  const count = (value: number) => formatCount(value, locale);
  const money = (minor: number) => formatAmount(minor, f.currency, locale);
  const flow = (label: string, key: keyof MonthFlows, format = count): Row => [
    label,
    format(f[key]),
    format(f.previous[key]),
  ];
  return [
    flow(t("insightReport.figures.membersJoined"), "membersJoined"),
    flow(t("insightReport.figures.activeMembers"), "activeMembers"),
    flow(t("insightReport.figures.pointsEarned"), "pointsEarned"),
    flow(t("insightReport.figures.pointsRedeemed"), "pointsRedeemed"),
    flow(t("insightReport.figures.pointsExpired"), "pointsExpired"),
    flow(t("insightReport.figures.pointsAdjusted"), "pointsAdjusted"),
    flow(t("insightReport.figures.memberOrders"), "memberOrders"),
    flow(t("insightReport.figures.memberRevenue"), "memberRevenueMinor", money),
    flow(t("insightReport.figures.rewardCodesUsed"), "rewardCodesUsed"),
    [t("insightReport.figures.liabilityPoints"), count(f.liabilityPoints), ""],
    [t("insightReport.figures.liabilityValue"), money(f.liabilityMinor), ""],
    [t("insightReport.figures.tierUp"), count(f.tierMoves.up), ""],
    [t("insightReport.figures.tierDown"), count(f.tierMoves.down), ""],
    [
      t("insightReport.figures.atRiskMembers"),
      f.atRisk ? count(f.atRisk.members) : t("insightReport.figures.notPredicted"),
      "",
    ],
    [t("insightReport.figures.atRiskValue"), f.atRisk ? money(f.atRisk.expectedValueMinor) : "—", ""],
  ];
}

export default function InsightReportPage() {
  const { locale, language, period, months, report } = useLoaderData<typeof loader>();
  const [searchParams, setSearchParams] = useSearchParams();
  const fetcher = useFetcher<{ regenerated?: boolean }>();
  const { t } = useTranslation();
  const choose = (key: "month" | "lang", value: string) => {
    const next = new URLSearchParams(searchParams);
    next.set(key, value);
    setSearchParams(next);
  };
  const source =
    report.source === "model"
      ? t("insightReport.source.model")
      : report.rejection
        ? t("insightReport.source.rejected", { reason: rejectionText(report.rejection, t) })
        : t("insightReport.source.template");

  return (
    <Page title={t("insightReport.title")} subtitle={monthName(period, locale)}>
      <BlockStack gap="400">
        <InlineStack gap="400" blockAlign="end">
          <Select
            label={t("insightReport.month")}
            options={months.map((month) => ({ label: monthName(month, locale), value: month }))}
            value={period}
            onChange={(value) => choose("month", value)}
          />
          <Select
            label={t("insightReport.language")}
            options={[
              { label: t("insightReport.languages.ja"), value: "ja" },
              { label: t("insightReport.languages.en"), value: "en" },
            ]}
            value={language}
            onChange={(value) => choose("lang", value)}
          />
          <Button
            loading={fetcher.state !== "idle"}
            onClick={() =>
              fetcher.submit({ month: period, lang: language }, { method: "POST", encType: "application/json" })
            }
          >
            {t("insightReport.regenerate")}
          </Button>
        </InlineStack>
        {fetcher.data?.regenerated ? <Banner tone="success">{t("insightReport.regenerated")}</Banner> : null}
        <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
          <Card>
            <BlockStack gap="300">
              {report.text.split(/\n\s*\n/).map((paragraph) => (
                <Text as="p" key={paragraph}>
                  {paragraph}
                </Text>
              ))}
              <Text as="p" variant="bodySm" tone={report.rejection ? "caution" : "subdued"}>
                {source}
              </Text>
              <Text as="p" variant="bodySm" tone="subdued">
                {t("insightReport.writtenAt", { at: dateTime(report.writtenAt, locale) })}
              </Text>
            </BlockStack>
          </Card>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("insightReport.figures.title")}
              </Text>
              <DataTable
                columnContentTypes={["text", "numeric", "numeric"]}
                headings={[
                  t("insightReport.figures.figure"),
                  t("insightReport.figures.thisMonth"),
                  t("insightReport.figures.lastMonth"),
                ]}
                rows={figureRows(report.figures, locale, t)}
              />
            </BlockStack>
          </Card>
        </InlineGrid>
      </BlockStack>
    </Page>
  );
}
