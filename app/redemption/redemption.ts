import type { ProgramSettings } from "../program/program";
import { pointsDown } from "../shared/rounding";

export type RedemptionRefusal = "disabled" | "invalid" | "below_minimum" | "insufficient_balance" | "over_maximum";

/** The money value of points in the shop currency's minor units. */
export function pointsValue(points: number, program: ProgramSettings): number {
  return points * program.pointValueMinor;
}

/**
 * The most points this cart may spend: no more than the balance, no more than the program's share of the
 * subtotal, in whole steps; 0 when that is below the minimum.
 */
export function maxRedeemablePoints(balance: number, subtotalMinor: number, program: ProgramSettings): number {
  const { redemption, pointValueMinor } = program;
  if (!redemption.enabled || balance <= 0 || subtotalMinor <= 0) return 0;
  const byShare = pointsDown(subtotalMinor, redemption.maxShareBasisPoints, 10_000 * pointValueMinor);
  const limit = Math.min(balance, byShare);
  const stepped = limit - (limit % redemption.step);
  return stepped >= redemption.minPoints ? stepped : 0;
}

/** Why spending `points` on this cart is refused, or null when it is allowed. */
export function refuseRedemption(
  points: number,
  balance: number,
  subtotalMinor: number,
  program: ProgramSettings,
): RedemptionRefusal | null {
  const { redemption } = program;
  if (!redemption.enabled) return "disabled";
  if (!Number.isSafeInteger(points) || points <= 0 || points % redemption.step !== 0) return "invalid";
  if (points < redemption.minPoints) return "below_minimum";
  if (points > balance) return "insufficient_balance";
  if (points > maxRedeemablePoints(balance, subtotalMinor, program)) return "over_maximum";
  return null;
}
