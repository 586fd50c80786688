import { Badge, BlockStack, Card, DataTable, InlineStack, Link, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import type { MemberReviewRow } from "../fraud/queue.server";
import { dateTime, type AdminLocale } from "../i18n/admin-locale";
import { formatMoney } from "../shared/money";

const STATUS_TONE: Record<string, "attention" | "success" | "critical" | undefined> = {
  open: "attention",
  approved: "success",
  rejected: "critical",
};

/**
 * The admin's words for review cases: a rule's name, a status, and a case's summary translated from its code with
 * its figures (each key spelled out for the catalog's check; an unknown code shows the English summary it was
 * opened with). Money figures are minor units of the shop's currency.
 */
export function useReviewLabels(locale: AdminLocale) {
  const { t } = useTranslation();
  const rule = (value: string): string => {
    switch (value) {
      case "velocity":
        return t("review.rules.velocity");
      case "large_order":
        return t("review.rules.large_order");
      case "redeem_refund":
        return t("review.rules.redeem_refund");
      case "signup_farming":
        return t("review.rules.signup_farming");
      case "flagged_redemption":
        return t("review.rules.flagged_redemption");
      case "birthday_rebonus":
        return t("review.rules.birthday_rebonus");
      case "staff_outlier":
        return t("review.rules.staff_outlier");
      default:
        return value;
    }
  };
  const status = (value: string): string => {
    switch (value) {
      case "open":
        return t("review.statuses.open");
      case "approved":
        return t("review.statuses.approved");
      case "rejected":
        return t("review.statuses.rejected");
      default:
        return value;
    }
  };
  const summary = (c: { code: string; summary: string; figures: Record<string, number> }, currency: string): string => {
    const f = (name: string) => c.figures[name] ?? 0;
    const money = (name: string) => formatMoney({ minor: f(name), currency }, locale);
    const usualOrders = Math.round(f("shopMedianOrders") * Math.max(1, f("surge") || 1) * 10) / 10;
    const farming = { members: f("members"), hours: f("windowHours") };
    const flagged = { earlier: f("earlierFlaggedOrders") };
    switch (c.code) {
      case "fraud.velocity.orders_hour":
        return t("review.codes.velocity.orders_hour", { orders: f("orders"), usual: usualOrders, z: f("zShopOrders") });
      case "fraud.velocity.orders_day":
        return t("review.codes.velocity.orders_day", { orders: f("orders"), usual: usualOrders, z: f("zShopOrders") });
      case "fraud.velocity.points_hour":
        return t("review.codes.velocity.points_hour", {
          points: f("points"),
          orders: f("orders"),
          z: f("zShopPoints"),
        });
      case "fraud.velocity.points_day":
        return t("review.codes.velocity.points_day", { points: f("points"), orders: f("orders"), z: f("zShopPoints") });
      case "fraud.large_order.member_history":
        return t("review.codes.large_order.member_history", {
          amount: money("amount"),
          ratio: f("ratio"),
          usual: money("memberMedian"),
          history: f("history"),
          z: f("z"),
        });
      case "fraud.large_order.shop_distribution":
        return t("review.codes.large_order.shop_distribution", {
          amount: money("amount"),
          usual: money("shopMedian"),
          history: f("history"),
          z: f("z"),
        });
      case "fraud.redeem_refund.repeated":
        return t("review.codes.redeem_refund.repeated", {
          refunds: f("refunds"),
          points: f("pointsEarned"),
          days: f("windowDays"),
        });
      case "fraud.signup_farming.address":
        return t("review.codes.signup_farming.address", farming);
      case "fraud.signup_farming.email":
        return t("review.codes.signup_farming.email", farming);
      case "fraud.signup_farming.phone":
        return t("review.codes.signup_farming.phone", farming);
      case "fraud.signup_farming.address_email":
        return t("review.codes.signup_farming.address_email", farming);
      case "fraud.signup_farming.address_phone":
        return t("review.codes.signup_farming.address_phone", farming);
      case "fraud.signup_farming.email_phone":
        return t("review.codes.signup_farming.email_phone", farming);
      case "fraud.signup_farming.address_email_phone":
        return t("review.codes.signup_farming.address_email_phone", farming);
      case "fraud.flagged_redemption.another_customer":
        return t("review.codes.flagged_redemption.another_customer", flagged);
      case "fraud.flagged_redemption.unknown_reservation":
        return t("review.codes.flagged_redemption.unknown_reservation", flagged);
      case "fraud.flagged_redemption.reused_reservation":
        return t("review.codes.flagged_redemption.reused_reservation", flagged);
      case "fraud.flagged_redemption.expired_reservation":
        return t("review.codes.flagged_redemption.expired_reservation", flagged);
      case "fraud.flagged_redemption.other":
        return t("review.codes.flagged_redemption.other", flagged);
      case "fraud.birthday_rebonus.changed_after_bonus":
        return t("review.codes.birthday_rebonus.changed_after_bonus", {
          changes: f("changes"),
          days: f("daysSinceLastBonus"),
        });
      case "fraud.staff_outlier.count":
        return t("review.codes.staff_outlier.count", {
          adjustments: f("adjustments"),
          points: f("points"),
          members: f("members"),
          medianAdjustments: f("medianAdjustments"),
          z: f("zCount"),
        });
      case "fraud.staff_outlier.points":
        return t("review.codes.staff_outlier.points", {
          adjustments: f("adjustments"),
          points: f("points"),
          members: f("members"),
          medianPoints: f("medianPoints"),
          z: f("zPoints"),
        });
      default:
        return c.summary;
    }
  };
  return { rule, status, summary };
}

export function ReviewStatusBadge({ status }: { status: string }) {
  const labels = useReviewLabels("en");
  return <Badge tone={STATUS_TONE[status]}>{labels.status(status)}</Badge>;
}

/** The passbook's review card: the member's cases (status, rule, points held), newest first. */
export function MemberReviewCard({
  cases,
  locale,
  reviewHref,
}: {
  cases: MemberReviewRow[];
  locale: AdminLocale;
  /** The review queue, with the embedded query kept (`embeddedHref("/app/review", params)`). */
  reviewHref: string;
}) {
  const { t } = useTranslation();
  const labels = useReviewLabels(locale);
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t("review.passbook.title")}
          </Text>
          {cases.length > 0 && <Link url={reviewHref}>{t("review.passbook.open")}</Link>}
        </InlineStack>
        {cases.length === 0 ? (
          <Text as="p">{t("review.passbook.none")}</Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "numeric", "text"]}
            headings={[
              t("review.passbook.columns.date"),
              t("review.passbook.columns.rule"),
              t("review.passbook.columns.status"),
              t("review.passbook.columns.held"),
              t("review.passbook.columns.reason"),
            ]}
            rows={cases.map((c) => [
              dateTime(c.createdAt, locale),
              labels.rule(c.rule),
              <ReviewStatusBadge key="status" status={c.status} />,
              (c.status === "open" ? c.heldPoints : c.points).toLocaleString(locale),
              c.decisionReason ?? "—",
            ])}
          />
        )}
      </BlockStack>
    </Card>
  );
}
