import { formatMoney } from "../shared/money";

export type ReportLocale = "ja" | "en";

/** What members did in one month, and the month before where a comparison means something. */
export interface MonthFlows {
  membersJoined: number;
  /** Members who earned or spent points in the month. */
  activeMembers: number;
  pointsEarned: number;
  /** Points spent, less spent points given back. */
  pointsRedeemed: number;
  pointsExpired: number;
  /** Net of staff adjustments (added less removed). */
  pointsAdjusted: number;
  memberOrders: number;
  /** Members' orders less refunds, in the shop currency's minor units. */
  memberRevenueMinor: number;
  rewardCodesUsed: number;
}

/** The month's figures for a shop: the only source of the numbers a monthly report may state. */
export interface MonthlyFigures extends MonthFlows {
  /** "2026-11": a calendar month in the shop's timezone. */
  period: string;
  currency: string;
  timezone: string;
  /** Points owed at the month's end (available, pending and held, less debt) and their value. */
  liabilityPoints: number;
  liabilityMinor: number;
  tierMoves: { up: number; down: number };
  /** From the nightly predictions, when there are any: members likely to have lapsed and what they would spend. */
  atRisk: { members: number; expectedValueMinor: number } | null;
  previous: MonthFlows;
}

const intlLocale = (locale: ReportLocale) => (locale === "ja" ? "ja-JP" : "en-US");

export function formatCount(value: number, locale: ReportLocale): string {
  return value.toLocaleString(intlLocale(locale));
}

/** A share as a percentage with at most one decimal: 0.125 → "12.5%". */
export function formatPercent(ratio: number, locale: ReportLocale): string {
  return new Intl.NumberFormat(intlLocale(locale), { style: "percent", maximumFractionDigits: 1 }).format(ratio);
}

export function formatAmount(minor: number, currency: string, locale: ReportLocale): string {
  return formatMoney({ minor, currency }, intlLocale(locale));
}

/** "2026-11" as the month's name: "November 2026", "2026年11月". */
export function monthName(period: string, locale: ReportLocale): string {
  const [year, month] = period.split("-").map(Number);
  return new Intl.DateTimeFormat(intlLocale(locale), { year: "numeric", month: "long", timeZone: "UTC" }).format(
    new Date(Date.UTC(year, month - 1, 1)),
  );
}

type Change = { direction: "up" | "down" | "same"; ratio: number } | null;

/** The change against last month; null when last month had nothing to compare with. */
export function change(now: number, before: number): Change {
  if (before === 0) return null;
  if (now === before) return { direction: "same", ratio: 0 };
  return { direction: now > before ? "up" : "down", ratio: Math.abs(now - before) / before };
}

interface Comparison {
  label: { ja: string; en: string };
  now: number;
  before: number;
  format: (value: number) => string;
}

function comparisonSentence(item: Comparison, locale: ReportLocale): string | null {
  const moved = change(item.now, item.before);
  if (!moved) return null;
  const before = item.format(item.before);
  if (locale === "ja") {
    if (moved.direction === "same") return `${item.label.ja}は前月と同じ${before}でした。`;
    return `${item.label.ja}は前月の${before}から${formatPercent(moved.ratio, locale)}${moved.direction === "up" ? "増えました" : "減りました"}。`;
  }
  if (moved.direction === "same") return `${item.label.en} held at ${before}, the same as last month.`;
  return `${item.label.en} went ${moved.direction} ${formatPercent(moved.ratio, locale)} from ${before} last month.`;
}

/**
 * The monthly report, from the figures by templates: what happened, what changed against last month, and what
 * to watch. Paragraphs are separated by a blank line. Every number in it comes from the figures.
 */
export function monthlyReportText(figures: MonthlyFigures, locale: ReportLocale): string {
  const count = (value: number) => formatCount(value, locale);
  const money = (minor: number) => formatAmount(minor, figures.currency, locale);
  const month = monthName(figures.period, locale);
  const f = figures;
  const ja = locale === "ja";
  // English counts agree with their nouns and verbs: "1 member is", "2 members are".
  const many = (value: number, one: string, other: string) => `${count(value)} ${Math.abs(value) === 1 ? one : other}`;

  const happened = ja
    ? `${month}は、新しい会員が${count(f.membersJoined)}人加わり、${count(f.activeMembers)}人の会員がポイントを貯めたり使ったりしました。` +
      `会員の注文は${count(f.memberOrders)}件、売上は${money(f.memberRevenueMinor)}でした。` +
      `ポイントは${count(f.pointsEarned)}ポイントが付与され、${count(f.pointsRedeemed)}ポイントが使われ、${count(f.pointsExpired)}ポイントが失効しました` +
      (f.pointsAdjusted !== 0 ? `（スタッフによる調整は差し引き${count(f.pointsAdjusted)}ポイント）` : "") +
      `。特典コードは${count(f.rewardCodesUsed)}件使われました。`
    : `In ${month}, ${many(f.membersJoined, "new member", "new members")} joined and ${many(f.activeMembers, "member", "members")} earned or spent points. ` +
      `Members placed ${many(f.memberOrders, "order", "orders")} worth ${money(f.memberRevenueMinor)}. ` +
      `Members earned ${many(f.pointsEarned, "point", "points")}, redeemed ${count(f.pointsRedeemed)} and let ${count(f.pointsExpired)} expire` +
      (f.pointsAdjusted !== 0 ? ` (staff adjustments: ${count(f.pointsAdjusted)} net)` : "") +
      `. ${many(f.rewardCodesUsed, "reward code was", "reward codes were")} used.`;

  const counted = (unit: string) => (value: number) => (ja ? `${count(value)}${unit}` : count(value));
  const comparisons: Comparison[] = [
    {
      label: { ja: "新規会員", en: "New members" },
      now: f.membersJoined,
      before: f.previous.membersJoined,
      format: counted("人"),
    },
    {
      label: { ja: "アクティブな会員", en: "Active members" },
      now: f.activeMembers,
      before: f.previous.activeMembers,
      format: counted("人"),
    },
    {
      label: { ja: "会員の注文", en: "Member orders" },
      now: f.memberOrders,
      before: f.previous.memberOrders,
      format: counted("件"),
    },
    {
      label: { ja: "会員の売上", en: "Member revenue" },
      now: f.memberRevenueMinor,
      before: f.previous.memberRevenueMinor,
      format: money,
    },
    {
      label: { ja: "使われたポイント", en: "Points redeemed" },
      now: f.pointsRedeemed,
      before: f.previous.pointsRedeemed,
      format: counted("ポイント"),
    },
  ];
  const sentences = comparisons.map((item) => comparisonSentence(item, locale)).filter((s) => s !== null);
  const changed = sentences.length
    ? sentences.join(ja ? "" : " ")
    : ja
      ? "前月には比べられる数字がありません。"
      : "Last month has no figures to compare with.";

  const watch: string[] = [];
  watch.push(
    ja
      ? `月末時点の未使用ポイントは${count(f.liabilityPoints)}ポイントで、${money(f.liabilityMinor)}に相当します。`
      : `At the end of the month members held ${many(f.liabilityPoints, "unused point", "unused points")}, worth ${money(f.liabilityMinor)}.`,
  );
  if (f.tierMoves.up + f.tierMoves.down > 0) {
    watch.push(
      ja
        ? `ランクが上がった会員は${count(f.tierMoves.up)}人、下がった会員は${count(f.tierMoves.down)}人でした。`
        : `${many(f.tierMoves.up, "member", "members")} moved up a tier and ${count(f.tierMoves.down)} moved down.`,
    );
  }
  if (f.atRisk && f.atRisk.members > 0) {
    watch.push(
      ja
        ? `離脱のおそれがある会員が${count(f.atRisk.members)}人おり、今後90日の見込み売上は${money(f.atRisk.expectedValueMinor)}です。`
        : `${many(f.atRisk.members, "member is", "members are")} at risk of lapsing; together they are expected to spend ${money(f.atRisk.expectedValueMinor)} in the next 90 days.`,
    );
  }
  if (f.pointsEarned > 0 && f.pointsExpired > 0) {
    watch.push(
      ja
        ? `失効したポイントは付与したポイントの${formatPercent(f.pointsExpired / f.pointsEarned, locale)}にあたります。`
        : `Expired points came to ${formatPercent(f.pointsExpired / f.pointsEarned, locale)} of the points earned.`,
    );
  }
  return [happened, changed, watch.join(ja ? "" : " ")].join("\n\n");
}
