import { lineWeight, type LineCalculation } from "./earning";
import { pointsDown } from "./rounding";

/** One refunded line in the shop's currency, minor units. */
export interface RefundLine {
  lineItemId: string;
  quantity: number;
  subtotalMinor: number;
  taxMinor: number;
}

/**
 * The part of an order's earn base that a refund gives back, measured on the earn's own calculation: a
 * refunded quantity takes its share of that line's base (rounded up, so refunding every unit in separate
 * refunds adds up to the whole line). A line the earn did not know (added by an order edit) counts its
 * refunded subtotal, tax out where prices included it. Gift cards earned nothing and give nothing back.
 */
export function refundBase(earnLines: LineCalculation[], refundLines: RefundLine[], taxesIncluded: boolean): number {
  const byId = new Map(earnLines.map((line) => [line.lineId, line]));
  let total = 0;
  for (const refunded of refundLines) {
    const earned = byId.get(refunded.lineItemId);
    if (!earned) {
      total += Math.max(0, refunded.subtotalMinor - (taxesIncluded ? refunded.taxMinor : 0));
      continue;
    }
    if (earned.quantity <= 0 || refunded.quantity <= 0) continue;
    const share = Math.min(refunded.quantity, earned.quantity);
    total += Number((BigInt(earned.baseMinor) * BigInt(share) + BigInt(earned.quantity - 1)) / BigInt(earned.quantity));
  }
  return total;
}

/**
 * The share of an order's points a refund gives back, in the same weights the earn used: a refunded unit
 * of a ×2 line takes back twice what a plain line's unit would. Rounded up per line, as `refundBase`.
 */
export function refundWeight(earnLines: LineCalculation[], refundLines: RefundLine[], taxesIncluded: boolean): number {
  const byId = new Map(earnLines.map((line) => [line.lineId, line]));
  let total = 0;
  for (const refunded of refundLines) {
    const earned = byId.get(refunded.lineItemId);
    if (!earned) {
      total += Math.max(0, refunded.subtotalMinor - (taxesIncluded ? refunded.taxMinor : 0)) * 100;
      continue;
    }
    if (earned.quantity <= 0 || refunded.quantity <= 0) continue;
    const share = Math.min(refunded.quantity, earned.quantity);
    total += Number(
      (BigInt(lineWeight(earned)) * BigInt(share) + BigInt(earned.quantity - 1)) / BigInt(earned.quantity),
    );
  }
  return total;
}

/**
 * How many of an order's earned points should have been reversed once `refundedMinor` of its
 * `baseMinor` has been refunded. Computed on the cumulative refund, so partial refunds never drift from
 * the total: rounded down while part of the order is kept, everything once all of it is returned.
 */
export function reversedPointsTarget(pointsEarned: number, baseMinor: number, refundedMinor: number): number {
  if (baseMinor <= 0 || refundedMinor >= baseMinor) return pointsEarned;
  return pointsDown(pointsEarned, refundedMinor, baseMinor);
}
