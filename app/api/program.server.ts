import prisma from "../db.server";
import type { Shop } from "../generated/prisma/client";
import { currentProgram } from "../shops/shops.server";

const money = (amountMinor: number, currency: string) => ({ amount_minor: amountMinor, currency });

/** The program version in force, as integrations need it: earn rate, point value, rewards, actions, expiry. */
export async function programSummary(shop: Shop) {
  const { version, settings } = await prisma.$transaction((tx) => currentProgram(tx, shop));
  const currency = settings.currency;
  return {
    version: version.version,
    saved_at: version.createdAt.toISOString(),
    currency,
    earn_rate: { points: settings.earnRate.points, per: money(settings.earnRate.perMinor, currency) },
    point_value: money(settings.pointValueMinor, currency),
    rounding: settings.rounding,
    pending_days: settings.pendingDays,
    expiry: { days: settings.expiryDays, mode: settings.expiryMode },
    signup_bonus: settings.signupBonus,
    birthday_bonus: settings.birthdayBonus,
    redemption: {
      enabled: settings.redemption.enabled,
      min_points: settings.redemption.minPoints,
      step: settings.redemption.step,
      max_share_basis_points: settings.redemption.maxShareBasisPoints,
    },
    rewards: settings.rewards.map((reward) => ({
      id: reward.id,
      name: reward.name,
      points: reward.points,
      value: money(reward.amountMinor, currency),
      minimum_subtotal: money(reward.minimumSubtotalMinor, currency),
    })),
    reward_code_days: settings.rewardCodeDays,
    actions: settings.actions.map((action) => ({ ...action })),
    membership: settings.membership.mode,
  };
}

/** The program's tiers, lowest threshold first, with what qualifies (spend in minor units, or points). */
export async function tierList(shop: Shop) {
  const { settings } = await prisma.$transaction((tx) => currentProgram(tx, shop));
  const { tiers, currency } = settings;
  return {
    basis: tiers.basis,
    period: tiers.period,
    currency,
    tiers: [...tiers.levels]
      .sort((a, b) => a.threshold - b.threshold)
      .map((level) => ({
        id: level.id,
        name: level.name,
        threshold: level.threshold,
        earn_extra_percent: level.earnExtraPercent,
        reach_bonus: level.reachBonus,
      })),
  };
}
