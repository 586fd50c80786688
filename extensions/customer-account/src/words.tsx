/** @jsxImportSource preact */
// What every target says the same way: money from minor units, an order's points explained, a failure.
import type { EarnExplanation } from "../../../app/members/customer-account-api";
import { AccountApiError } from "./api";

export type Failure = "errors.load" | "errors.save" | "errors.unavailable";

/** The app's database is down (503 "unavailable"), or this step failed. */
export const failureOf = (key: Failure) => (error: unknown) =>
  error instanceof AccountApiError && error.code === "unavailable" ? "errors.unavailable" : key;

export function Notice({ failure }: { failure: Failure }) {
  return (
    <s-banner tone={failure === "errors.unavailable" ? "info" : "critical"}>{shopify.i18n.translate(failure)}</s-banner>
  );
}

/** A currency's real exponent (¥ none, $ two), from Intl. */
function exponent(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** An amount in minor units, in the customer's format. */
export function money(minor: number, currency: string): string {
  return shopify.i18n.formatCurrency(minor / 10 ** exponent(currency), { currency });
}

export const points = (n: number) => shopify.i18n.formatNumber(n);

/** "¥5,400 × 1 pt/¥100 + Gold +25 %" in the customer's words. */
export function explain(explanation: EarnExplanation): string {
  const { translate } = shopify.i18n;
  const { currency, baseMinor, rate } = explanation;
  return [
    translate("explanation.rate", {
      base: money(baseMinor, currency),
      points: points(rate.points),
      per: money(rate.perMinor, currency),
    }),
    ...explanation.boosts.map((boost) =>
      translate("explanation.boost", {
        source: boost.source === "tier" ? translate("explanation.tier") : boost.source,
        percent: points(boost.percent),
      }),
    ),
    ...explanation.bonuses.map((bonus) =>
      translate("explanation.bonus", { source: bonus.source, points: points(bonus.points) }),
    ),
  ].join(" + ");
}

/** A date for the customer ("30 Nov 2026" / "2026年11月30日"). */
export const day = (iso: string) => shopify.i18n.formatDate(new Date(iso), { dateStyle: "medium" });
