import { earnLots, type Calculation, type CampaignLot } from "./earning";
import { formatMoney } from "../shared/money";

/** A shop-local date ("2026-06-03") as the merchant reads it. */
function localDay(date: string, locale: "en" | "ja"): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Intl.DateTimeFormat(locale === "ja" ? "ja-JP" : "en-US", { dateStyle: "medium", timeZone: "UTC" }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

/** One campaign lot: its points, and when they expire. */
function explainCampaignLot(lot: CampaignLot, total: number, locale: "en" | "ja"): string {
  const day = localDay(lot.expiresOn, locale);
  const fixed =
    lot.bonusPoints > 0
      ? locale === "ja"
        ? `（固定ボーナス${lot.bonusPoints}ポイントを含む）`
        : ` (a fixed bonus of ${lot.bonusPoints} included)`
      : "";
  return locale === "ja"
    ? `${lot.source}のボーナス: 注文の${total}ポイントのうち${lot.points}ポイント${fixed}。別のロットで、注文から${lot.expiryDays}日後の${day}の終わりに失効`
    : `${lot.source} bonus: ${lot.points} of the order's ${total} points${fixed}, in a lot of their own expiring at the end of ${day} (${lot.expiryDays} days after the order)`;
}

/**
 * An earn's calculation as sentences for the admin: the base, each boost per line, bonuses and rounding, and
 * each campaign bonus kept in a lot of its own with its expiry. On a campaign lot's entry, what that lot is.
 */
export function explainCalculation(calculation: Calculation, locale: "en" | "ja"): string[] {
  const { orderPoints, campaignLots } = earnLots(calculation);
  if (calculation.lot !== undefined) {
    const lot = campaignLots.find((candidate) => candidate.campaignId === calculation.lot);
    if (lot) return [explainCampaignLot(lot, calculation.points, locale)];
  }
  const money = (minor: number) =>
    formatMoney({ minor, currency: calculation.currency }, locale === "ja" ? "ja-JP" : "en-US");
  const { points, perMinor } = calculation.rate;
  const lines = calculation.lines.map((line) => {
    if (line.excluded) {
      return locale === "ja"
        ? `明細 ${line.lineId}: 対象外（${line.excluded}）`
        : `Line ${line.lineId}: excluded (${line.excluded})`;
    }
    const boosts = (line.boosts ?? []).map((b) => `${b.source} +${b.percent}%`).join(", ");
    const rate = `${line.percent ?? 100}%`;
    return locale === "ja"
      ? `明細 ${line.lineId}: ${money(line.baseMinor)} × ${rate}${boosts ? `（${boosts}）` : ""}`
      : `Line ${line.lineId}: ${money(line.baseMinor)} × ${rate}${boosts ? ` (${boosts})` : ""}`;
  });
  const bonuses = (calculation.bonuses ?? []).map((b) =>
    locale === "ja" ? `${b.source}: +${b.points}ポイント` : `${b.source}: +${b.points} points`,
  );
  const total =
    locale === "ja"
      ? `${money(perMinor)}ごとに${points}ポイント、${calculation.rounding === "nearest" ? "四捨五入" : "切り捨て"}で合計${calculation.points}ポイント`
      : `${points} point${points === 1 ? "" : "s"} per ${money(perMinor)}, rounded ${calculation.rounding === "nearest" ? "to the nearest point" : "down"}: ${calculation.points} points in all`;
  const apart = campaignLots.length
    ? [
        ...campaignLots.map((lot) => explainCampaignLot(lot, calculation.points, locale)),
        locale === "ja"
          ? `注文のポイントのロット: ${orderPoints}ポイント`
          : `The order's own lot: ${orderPoints} points`,
      ]
    : [];
  // Staff asking why a member earned less than a neighbour during a campaign see the member's random group.
  const heldOut = (calculation.heldOut ?? []).map((held) =>
    locale === "ja"
      ? `キャンペーン「${held.source}」: 対照グループのため適用なし`
      : `Campaign ${held.source}: control group, not applied`,
  );
  return [...lines, ...bonuses, ...heldOut, total, ...apart];
}

/**
 * An earn's calculation in the parts a shopper reads ("¥5,400 × 1 pt/¥100 + Gold +25 %"): what counted, the rate,
 * each boost once (by its source, at the largest percent it gave a line) and the fixed bonuses. Words are the reader's.
 */
export function shopperExplanation(
  calculation: Calculation,
  /** The tier levels of the program version that earned, to name the tier's boost ("tier" in the calculation). */
  tiers: Array<{ name: string; earnExtraPercent: number }> = [],
): {
  currency: string;
  baseMinor: number;
  rate: { points: number; perMinor: number };
  boosts: Array<{ source: string; percent: number }>;
  bonuses: Array<{ source: string; points: number }>;
} {
  const boosts = new Map<string, number>();
  for (const line of calculation.lines) {
    if (line.excluded) continue;
    for (const boost of line.boosts ?? []) {
      const named = boost.source === "tier" ? tiers.filter((tier) => tier.earnExtraPercent === boost.percent) : [];
      const source = named.length === 1 ? named[0].name : boost.source;
      boosts.set(source, Math.max(boosts.get(source) ?? 0, boost.percent));
    }
  }
  return {
    currency: calculation.currency,
    baseMinor: calculation.baseMinor,
    rate: { ...calculation.rate },
    boosts: [...boosts].map(([source, percent]) => ({ source, percent })),
    bonuses: (calculation.bonuses ?? []).map((bonus) => ({ ...bonus })),
  };
}
