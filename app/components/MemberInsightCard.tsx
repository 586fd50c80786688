import { Badge, BlockStack, Card, InlineGrid, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { dateTime, type AdminLocale } from "../i18n/admin-locale";
import type { MemberInsightView } from "../insights/shop-insights.server";
import { formatMoney } from "../shared/money";

/** The admin's name of an RFM segment (each key spelled out for the catalog's check). */
export function useSegmentLabel() {
  const { t } = useTranslation();
  return (segment: string | null): string => {
    switch (segment) {
      case "champions":
        return t("memberInsights.segments.champions");
      case "loyal":
        return t("memberInsights.segments.loyal");
      case "promising":
        return t("memberInsights.segments.promising");
      case "new":
        return t("memberInsights.segments.new");
      case "at_risk":
        return t("memberInsights.segments.at_risk");
      case "hibernating":
        return t("memberInsights.segments.hibernating");
      case "lost":
        return t("memberInsights.segments.lost");
      default:
        return segment ?? "—";
    }
  };
}

/**
 * Why a shop's fit gave no predictions, in the admin's words (the fit stores the catalog key: see
 * app/insights/shop-insights.server.ts); null for a fit with nothing to explain. The member card and the Insights
 * page both say it.
 */
export function useFitReason() {
  const { t } = useTranslation();
  return (fit: { reason: string | null; repeatCustomers: number }, minRepeatMembers: number): string | null => {
    switch (fit.reason) {
      case null:
        return null;
      case "memberInsights.reason.fitFailed":
        return t("memberInsights.reason.fitFailed");
      default:
        return t("memberInsights.reason.fewRepeatMembers", { min: minRepeatMembers, repeat: fit.repeatCustomers });
    }
  };
}

const SEGMENT_TONE: Record<string, "success" | "info" | "attention" | "critical" | undefined> = {
  champions: "success",
  loyal: "success",
  promising: "info",
  new: "info",
  at_risk: "attention",
  hibernating: "attention",
  lost: "critical",
};

/** P(alive) as a whole percentage: the model is not precise enough for decimals to mean anything. */
export const percent = (p: number, locale: AdminLocale) =>
  new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 }).format(p);

/** The member page's predictions: from the shop's nightly fit, or why there are none yet. */
export function MemberInsightCard({ view, locale }: { view: MemberInsightView; locale: AdminLocale }) {
  const { t } = useTranslation();
  const segmentLabel = useSegmentLabel();
  const { fit, insight } = view;
  const fitReason = useFitReason();
  const reason = () => (fit ? fitReason(fit, view.minRepeatMembers) : t("memberInsights.noFit"));
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("memberInsights.title")}
        </Text>
        {!fit || fit.status !== "fitted" ? (
          <BlockStack gap="100">
            <Text as="p" fontWeight="semibold">
              {t("memberInsights.notEnough")}
            </Text>
            <Text as="p" tone="subdued">
              {reason()}
            </Text>
          </BlockStack>
        ) : !insight ? (
          <Text as="p" tone="subdued">
            {t("memberInsights.notCovered")}
          </Text>
        ) : (
          <>
            <InlineGrid columns={2} gap="200">
              <Text as="span" tone="subdued">
                {t("memberInsights.segment")}
              </Text>
              <span>
                <Badge tone={SEGMENT_TONE[insight.rfmSegment]}>{segmentLabel(insight.rfmSegment)}</Badge>
              </span>
              <Text as="span" tone="subdued">
                {t("memberInsights.pAlive")}
              </Text>
              <Text as="span" numeric>
                {percent(insight.pAlive, locale)}
              </Text>
              <Text as="span" tone="subdued">
                {t("memberInsights.expectedOrders")}
              </Text>
              <Text as="span" numeric>
                {insight.expectedOrders90.toLocaleString(locale, { maximumFractionDigits: 1 })}
              </Text>
              <Text as="span" tone="subdued">
                {t("memberInsights.expectedValue")}
              </Text>
              <Text as="span" numeric>
                {formatMoney({ minor: insight.expectedValueMinor, currency: view.currency }, locale)}
              </Text>
              <Text as="span" tone="subdued">
                {t("memberInsights.repurchase")}
              </Text>
              <Text as="span" numeric>
                {insight.repurchaseDays === null
                  ? t("memberInsights.repurchaseNone")
                  : t("memberInsights.repurchaseDays", { count: Math.round(insight.repurchaseDays) })}
              </Text>
            </InlineGrid>
            <Text as="p" tone="subdued">
              {t("memberInsights.asOf", { date: dateTime(insight.computedAt, locale) })}
            </Text>
          </>
        )}
      </BlockStack>
    </Card>
  );
}
