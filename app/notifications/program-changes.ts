import type { ProgramSettings } from "../program/program";
import { formatMoney } from "../shared/money";
import type { MessageLocale } from "./kinds";

type Lines = Record<MessageLocale, string[]>;

function rate(settings: ProgramSettings, locale: MessageLocale): string {
  const amount = formatMoney({ minor: settings.earnRate.perMinor, currency: settings.currency }, locale);
  return locale === "ja"
    ? `${amount}につき${settings.earnRate.points}ポイント`
    : `${settings.earnRate.points} point${settings.earnRate.points === 1 ? "" : "s"} per ${amount}`;
}

function expiry(settings: ProgramSettings, locale: MessageLocale): string {
  if (settings.expiryDays === null) return locale === "ja" ? "無期限" : "never";
  if (settings.expiryMode === "inactivity") {
    return locale === "ja"
      ? `最後のご利用から${settings.expiryDays}日`
      : `${settings.expiryDays} days after your last purchase or use of points`;
  }
  return locale === "ja" ? `獲得から${settings.expiryDays}日` : `${settings.expiryDays} days after they are earned`;
}

function share(settings: ProgramSettings, locale: MessageLocale): string {
  const percent = settings.redemption.maxShareBasisPoints / 100;
  return locale === "ja" ? `ご注文金額の${percent}%まで` : `up to ${percent}% of an order`;
}

function value(settings: ProgramSettings, locale: MessageLocale): string {
  const amount = formatMoney({ minor: settings.pointValueMinor, currency: settings.currency }, locale);
  return locale === "ja" ? `1ポイント = ${amount}` : `1 point = ${amount}`;
}

/**
 * The differences a member must be told of (制度変更の周知) between two program versions: how points are earned,
 * when they expire, and how they are spent, each as "label: before → after" in both languages. Campaigns, rules
 * and tiers are promotions, not the terms points are held under: they are not listed. Empty when nothing changed.
 */
export function describeProgramChanges(before: ProgramSettings, after: ProgramSettings): Lines {
  const lines: Lines = { ja: [], en: [] };
  const compare = (label: Record<MessageLocale, string>, show: (s: ProgramSettings, l: MessageLocale) => string) => {
    for (const locale of ["ja", "en"] as const) {
      const from = show(before, locale);
      const to = show(after, locale);
      if (from !== to) lines[locale].push(`${label[locale]}: ${from} → ${to}`);
    }
  };
  compare({ ja: "ポイント付与", en: "Points earned" }, rate);
  compare({ ja: "ポイントが使えるまで", en: "Points usable after" }, (s, l) =>
    s.pendingDays === 0
      ? l === "ja"
        ? "すぐ"
        : "at once"
      : l === "ja"
        ? `${s.pendingDays}日後`
        : `${s.pendingDays} days`,
  );
  compare({ ja: "有効期限", en: "Points expire" }, expiry);
  compare({ ja: "ポイントの価値", en: "Point value" }, value);
  compare({ ja: "お支払いへの利用", en: "Paying with points" }, (s, l) =>
    s.redemption.enabled ? (l === "ja" ? "利用可" : "available") : l === "ja" ? "利用不可" : "not available",
  );
  if (before.redemption.enabled && after.redemption.enabled) {
    compare({ ja: "最低利用ポイント", en: "Fewest points per order" }, (s) => String(s.redemption.minPoints));
    compare({ ja: "利用単位", en: "Points are spent in steps of" }, (s) => String(s.redemption.step));
    compare({ ja: "利用上限", en: "Most points can pay" }, share);
  }
  compare(
    { ja: "交換できる割引", en: "Rewards" },
    (s, l) =>
      [...s.rewards]
        .sort((a, b) => a.points - b.points)
        .map((reward) => {
          const amount = formatMoney({ minor: reward.amountMinor, currency: s.currency }, l);
          return l === "ja" ? `${reward.points}ポイントで${amount}引き` : `${amount} off for ${reward.points} points`;
        })
        .join(l === "ja" ? "、" : ", ") || (l === "ja" ? "なし" : "none"),
  );
  compare({ ja: "割引コードの有効期間", en: "Discount codes valid for" }, (s, l) =>
    l === "ja" ? `${s.rewardCodeDays}日` : `${s.rewardCodeDays} days`,
  );
  return lines;
}
