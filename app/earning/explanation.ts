import type { Calculation } from "./earning";
import { formatMoney } from "../shared/money";

/** An earn's calculation as sentences for the admin: the base, each boost per line, bonuses and rounding. */
export function explainCalculation(calculation: Calculation, locale: "en" | "ja"): string[] {
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
  return [...lines, ...bonuses, total];
}
