import { currencyExponent, formatMoney } from "../shared/money";
import { DEFAULT_MEMBERSHIP, withDefaults, type ProgramSettings } from "./program";
import { roundPoints } from "../shared/rounding";

export type FieldErrors = Partial<Record<string, string>>;

const isWhole = (value: unknown, min: number, max: number): value is number =>
  typeof value === "number" && Number.isSafeInteger(value) && value >= min && value <= max;

/**
 * Checks a program a merchant wants to save, field by field. Nothing is saved unless every field is
 * valid; the messages are for the merchant (the admin shows them beside each field).
 */
export function validateProgram(input: ProgramSettings): { settings: ProgramSettings } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const { earnRate, redemption } = input;
  if (!isWhole(earnRate?.points, 1, 10_000))
    errors["earnRate.points"] = "Points earned must be a whole number from 1 to 10,000.";
  if (!isWhole(earnRate?.perMinor, 1, 1_000_000_000))
    errors["earnRate.perMinor"] = "The amount spent must be a positive amount.";
  if (!isWhole(input.pointValueMinor, 1, 1_000_000))
    errors.pointValueMinor = "A point must be worth a positive amount.";
  if (!isWhole(input.signupBonus, 0, 1_000_000)) errors.signupBonus = "The signup bonus must be 0 or more points.";
  if (!isWhole(input.birthdayBonus, 0, 1_000_000))
    errors.birthdayBonus = "The birthday bonus must be 0 or more points.";
  const actionIds = new Set<string>();
  (input.actions ?? []).forEach((action, i) => {
    if (!action.id?.trim() || actionIds.has(action.id)) errors[`actions.${i}.id`] = "Each action needs its own id.";
    actionIds.add(action.id);
    if (!action.name?.trim()) errors[`actions.${i}.name`] = "Give the action a name.";
    if (!isWhole(action.points, 1, 1_000_000)) errors[`actions.${i}.points`] = "An action is worth 1 or more points.";
  });
  const rewardIds = new Set<string>();
  if ((input.rewards ?? []).length > 20) errors.rewards = "Offer at most 20 rewards.";
  (input.rewards ?? []).forEach((reward, i) => {
    if (!reward.id?.trim() || rewardIds.has(reward.id)) errors[`rewards.${i}.id`] = "Each reward needs its own id.";
    rewardIds.add(reward.id);
    if (typeof reward.name !== "string" || reward.name.length > 60)
      errors[`rewards.${i}.name`] = "A reward name has at most 60 characters.";
    if (!isWhole(reward.points, 1, 10_000_000)) errors[`rewards.${i}.points`] = "A reward costs 1 or more points.";
    if (!isWhole(reward.amountMinor, 1, 1_000_000_000))
      errors[`rewards.${i}.amountMinor`] = "A reward must take a positive amount off.";
    if (!isWhole(reward.minimumSubtotalMinor, 0, 1_000_000_000))
      errors[`rewards.${i}.minimumSubtotalMinor`] = "The minimum order must be 0 or more.";
  });
  if (!isWhole(input.rewardCodeDays, 1, 365)) errors.rewardCodeDays = "Reward codes last from 1 to 365 days.";
  if (input.expiryMode !== "lot" && input.expiryMode !== "inactivity")
    errors.expiryMode = "Expire each lot, or the whole balance after a quiet period.";
  if (!isWhole(input.pendingDays, 0, 365)) errors.pendingDays = "The return window must be from 0 to 365 days.";
  if (input.expiryDays !== null && !isWhole(input.expiryDays, 1, 3650)) {
    errors.expiryDays = "Points must expire after 1 to 3,650 days, or never.";
  } else if (input.expiryDays !== null && input.expiryDays <= input.pendingDays) {
    errors.expiryDays = "Points cannot expire before their return window ends.";
  }
  if (typeof redemption?.enabled !== "boolean")
    errors["redemption.enabled"] = "Say whether points can be used at checkout.";
  if (!isWhole(redemption?.step, 1, 1_000_000))
    errors["redemption.step"] = "The step must be a positive number of points.";
  if (!isWhole(redemption?.minPoints, 1, 1_000_000)) {
    errors["redemption.minPoints"] = "The minimum must be a positive number of points.";
  } else if (isWhole(redemption?.step, 1, 1_000_000) && redemption.minPoints % redemption.step !== 0) {
    errors["redemption.minPoints"] = "The minimum must be a whole number of steps.";
  }
  if (!isWhole(redemption?.maxShareBasisPoints, 1, 10_000)) {
    errors["redemption.maxShareBasisPoints"] = "Points can pay from 0.01% to 100% of an order.";
  }
  if (!isWhole(redemption?.reservationMinutes, 5, 24 * 60)) {
    errors["redemption.reservationMinutes"] = "A checkout can hold points for 5 minutes to 24 hours.";
  }
  const localStamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
  const clock = /^([01]\d|2[0-3]):[0-5]\d$/;
  (input.rules ?? []).forEach((rule, i) => {
    if (!rule.name?.trim()) errors[`rules.${i}.name`] = "Give the rule a name.";
    if (!rule.exclude && !isWhole(rule.extraPercent, -100, 1000)) {
      errors[`rules.${i}.extraPercent`] = "A multiplier adds from −100% to +1,000%.";
    }
  });
  (input.campaigns ?? []).forEach((campaign, i) => {
    if (!campaign.name?.trim()) errors[`campaigns.${i}.name`] = "Give the campaign a name.";
    if (!localStamp.test(campaign.startsAt ?? "") || !localStamp.test(campaign.endsAt ?? "")) {
      errors[`campaigns.${i}.window`] = "Start and end are local date-times (2026-12-01T00:00).";
    } else if (campaign.endsAt <= campaign.startsAt) {
      errors[`campaigns.${i}.window`] = "The campaign must end after it starts.";
    }
    if (
      campaign.hours &&
      (!clock.test(campaign.hours.from) || !clock.test(campaign.hours.to) || campaign.hours.to <= campaign.hours.from)
    ) {
      errors[`campaigns.${i}.hours`] = "Hours run from an earlier to a later time of day (11:00–14:00).";
    }
    if ((campaign.weekdays ?? []).some((day) => !isWhole(day, 0, 6)))
      errors[`campaigns.${i}.weekdays`] = "Weekdays are 0 (Sunday) to 6.";
    const extra = campaign.extraPercent ?? 0;
    const bonus = campaign.bonusPoints ?? 0;
    if (!isWhole(extra, 0, 1000) || !isWhole(bonus, 0, 1_000_000) || (extra === 0 && bonus === 0)) {
      errors[`campaigns.${i}.reward`] = "A campaign adds 1% to 1,000% or a fixed bonus of points.";
    }
    if (!isWhole(campaign.holdoutPercent ?? 0, 0, 50)) {
      errors[`campaigns.${i}.holdoutPercent`] = "A control group holds out a whole 0% to 50% of eligible members.";
    }
    if (campaign.draft !== undefined && typeof campaign.draft !== "boolean") {
      errors[`campaigns.${i}.draft`] = "Say whether the campaign is a draft.";
    }
    const bonusExpiry = campaign.bonusExpiryDays ?? null;
    if (bonusExpiry !== null) {
      if (!isWhole(bonusExpiry, 1, 3650)) {
        errors[`campaigns.${i}.bonusExpiryDays`] =
          "Campaign points expire after 1 to 3,650 days, or leave it empty to keep them with the order's points.";
      } else if (isWhole(input.pendingDays, 0, 365) && bonusExpiry <= input.pendingDays) {
        errors[`campaigns.${i}.bonusExpiryDays`] = "Campaign points cannot expire before their return window ends.";
      } else if (input.expiryMode === "lot" && isWhole(input.expiryDays, 1, 3650) && bonusExpiry >= input.expiryDays) {
        errors[`campaigns.${i}.bonusExpiryDays`] =
          `Campaign points must expire sooner than the program's ${input.expiryDays} days, or leave it empty to keep them with the order's points.`;
      }
    }
  });
  const tiers = input.tiers ?? { levels: [] };
  const ids = new Set<string>();
  let previous = -1;
  (tiers.levels ?? []).forEach((level, i) => {
    if (!level.id?.trim() || ids.has(level.id)) errors[`tiers.levels.${i}.id`] = "Each tier needs its own id.";
    ids.add(level.id);
    if (!level.name?.trim()) errors[`tiers.levels.${i}.name`] = "Give the tier a name.";
    if (!isWhole(level.threshold, 0, 2_000_000_000)) {
      errors[`tiers.levels.${i}.threshold`] = "The threshold must be 0 or more.";
    } else if (level.threshold <= previous) {
      errors[`tiers.levels.${i}.threshold`] = "Each tier's threshold must be above the one before it.";
    }
    previous = Math.max(previous, isWhole(level.threshold, 0, 2_000_000_000) ? level.threshold : previous);
    if (!isWhole(level.earnExtraPercent, 0, 1000))
      errors[`tiers.levels.${i}.earnExtraPercent`] = "A tier adds 0% to 1,000% to earning.";
    if (!isWhole(level.reachBonus, 0, 1_000_000))
      errors[`tiers.levels.${i}.reachBonus`] = "The bonus must be 0 or more points.";
  });
  if (tiers.levels?.length && !isWhole(tiers.graceDays, 0, 365)) errors["tiers.graceDays"] = "Grace is 0 to 365 days.";
  const membership = input.membership ?? DEFAULT_MEMBERSHIP;
  if (membership.mode !== "all" && membership.mode !== "join")
    errors["membership.mode"] = "Make every customer a member, or let customers join.";
  if (typeof membership.termsVersion !== "string" || !/^[\w.-]{1,40}$/.test(membership.termsVersion))
    errors["membership.termsVersion"] =
      "The terms version is 1 to 40 letters, digits, dots or dashes (for example 2026-12 or 2.1).";
  if (membership.termsUrl !== null && !isHttpsUrl(membership.termsUrl))
    errors["membership.termsUrl"] = "The terms link must be an https:// address, or empty.";
  if (membership.onLeave !== "keep" && membership.onLeave !== "forfeit")
    errors["membership.onLeave"] = "Say whether a leaving member keeps or forfeits their points.";
  try {
    currencyExponent(input.currency);
  } catch {
    errors.currency = "The currency must be an ISO 4217 code.";
  }
  return Object.keys(errors).length > 0 ? { errors } : { settings: withDefaults(input) };
}

/** Shoppers follow the terms link from the storefront: only a well-formed https address, at most 500 characters. */
function isHttpsUrl(value: unknown): boolean {
  if (typeof value !== "string" || value.length > 500) return false;
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
}

/** What an order of `amountMinor` earns under these settings: the admin's live example. */
export function exampleEarn(settings: ProgramSettings, amountMinor: number): number {
  return roundPoints(amountMinor, settings.earnRate.points, settings.earnRate.perMinor, settings.rounding ?? "down");
}

type Locale = "en" | "ja";

/** The whole program in plain words, for the top of the program page and for shoppers. */
export function describeProgram(settings: ProgramSettings, locale: Locale): string[] {
  const money = (minor: number) =>
    formatMoney({ minor, currency: settings.currency }, locale === "ja" ? "ja-JP" : "en-US");
  const n = (value: number) => value.toLocaleString(locale === "ja" ? "ja-JP" : "en-US");
  const { earnRate, redemption } = settings;
  const share = `${redemption.maxShareBasisPoints / 100}%`;
  // Campaigns whose bonus points expire sooner than the order's.
  const shortLived = (settings.campaigns ?? []).filter(
    (campaign) => !campaign.draft && (campaign.bonusExpiryDays ?? 0) > 0,
  );
  // Said plainly so a member who did not get a campaign's bonus can learn why.
  const controlled = (settings.campaigns ?? []).filter(
    (campaign) => !campaign.draft && (campaign.holdoutPercent ?? 0) > 0,
  );
  const joining = settings.membership?.mode === "join";
  if (locale === "ja") {
    return [
      `お買い物${money(earnRate.perMinor)}ごとに${n(earnRate.points)}ポイントが貯まります（送料・税・ギフトカードは対象外、端数は${settings.rounding === "nearest" ? "四捨五入" : "切り捨て"}）。`,
      settings.pendingDays > 0
        ? `ポイントは返品期間の${n(settings.pendingDays)}日が過ぎると使えるようになります。`
        : "ポイントはお支払いの確認後すぐに使えます。",
      redemption.enabled
        ? `1ポイント＝${money(settings.pointValueMinor)}として、${n(redemption.minPoints)}ポイントから${n(redemption.step)}ポイント単位で、注文小計の${share}までお支払いに使えます。`
        : "現在、チェックアウトでのポイント利用は停止しています。",
      settings.expiryDays === null
        ? "ポイントに有効期限はありません。"
        : settings.expiryMode === "inactivity"
          ? `最後のご利用（獲得・利用）から${n(settings.expiryDays)}日が過ぎた日の終わりに、すべてのポイントが失効します。`
          : `ポイントは獲得から${n(settings.expiryDays)}日後の日の終わりに失効します。期限の近いポイントから先に使われます。`,
      ...shortLived.map(
        (campaign) =>
          `キャンペーン「${campaign.name}」のボーナスポイントは、獲得から${n(campaign.bonusExpiryDays!)}日後の日の終わりに失効します。`,
      ),
      ...controlled.map(
        (campaign) =>
          `キャンペーン「${campaign.name}」は、効果測定のため対象会員の${n(campaign.holdoutPercent!)}%（無作為）には適用されず、通常どおりポイントが貯まります。`,
      ),
      ...(joining
        ? [
            `会員になるには、規約（バージョン${settings.membership.termsVersion}）に同意して参加します。会員でないお客様の注文にはポイントが付きません。`,
          ]
        : []),
      ...(settings.signupBonus > 0
        ? [
            joining
              ? `参加すると${n(settings.signupBonus)}ポイントを差し上げます（メールアドレスの確認が必要、お一人様1回）。`
              : `会員登録で${n(settings.signupBonus)}ポイントを差し上げます。`,
          ]
        : []),
      ...(settings.rules.length || settings.campaigns.length
        ? [
            "倍率とキャンペーンは足し算で重なります（1.5倍と2倍のキャンペーンなら2.5倍）。対象外の商品にはポイントが付きません。",
          ]
        : []),
    ];
  }
  return [
    `Shoppers earn ${n(earnRate.points)} point${earnRate.points === 1 ? "" : "s"} for every ${money(earnRate.perMinor)} spent on merchandise (not shipping, tax or gift cards), rounded ${settings.rounding === "nearest" ? "to the nearest point" : "down"}.`,
    settings.pendingDays > 0
      ? `Points become spendable when the ${n(settings.pendingDays)}-day return window ends.`
      : "Points can be spent as soon as the payment is confirmed.",
    redemption.enabled
      ? `At checkout each point is worth ${money(settings.pointValueMinor)}: from ${n(redemption.minPoints)} points, in steps of ${n(redemption.step)}, up to ${share} of the order subtotal.`
      : "Points cannot be used at checkout at the moment.",
    settings.expiryDays === null
      ? "Points never expire."
      : settings.expiryMode === "inactivity"
        ? `The whole balance expires at the end of the day ${n(settings.expiryDays)} days after the member last earned or spent points.`
        : `Points expire at the end of the day ${n(settings.expiryDays)} days after they were earned; the points closest to expiry are spent first.`,
    ...shortLived.map(
      (campaign) =>
        `Bonus points from the campaign ${campaign.name} expire at the end of the day ${n(campaign.bonusExpiryDays!)} days after they were earned.`,
    ),
    ...controlled.map(
      (campaign) =>
        `To measure its effect, the campaign ${campaign.name} does not apply to a random ${n(campaign.holdoutPercent!)}% of eligible members, who earn points as usual.`,
    ),
    ...(joining
      ? [
          `Customers become members by joining and accepting the terms (version ${settings.membership.termsVersion}); orders from customers who have not joined earn no points.`,
        ]
      : []),
    ...(settings.signupBonus > 0
      ? [
          joining
            ? `Joining earns ${n(settings.signupBonus)} points, once per person, with a verified email.`
            : `New members get ${n(settings.signupBonus)} points for signing up.`,
        ]
      : []),
    ...(settings.rules.length || settings.campaigns.length
      ? ["Multipliers and campaigns add up (×1.5 and a ×2 campaign make ×2.5); excluded products earn nothing."]
      : []),
  ];
}
