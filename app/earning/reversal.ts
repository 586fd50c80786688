import { lineWeight, type LineCalculation } from "./earning";
import { pointsDown } from "../shared/rounding";

/** One refunded line in the shop's currency, minor units. */
export interface RefundLine {
  lineItemId: string;
  quantity: number;
  subtotalMinor: number;
  taxMinor: number;
}

/**
 * Measures refunded lines against the earn: a refunded quantity takes its share of the earn line's
 * `measure`, rounded up so refunding every unit in separate refunds adds up to the whole line; a line the
 * earn did not know (added by an order edit) counts its refunded subtotal, tax out where prices included
 * it, through `unknown`.
 */
function measureRefund(
  earnLines: LineCalculation[],
  refundLines: RefundLine[],
  taxesIncluded: boolean,
  measure: (line: LineCalculation) => number,
  unknown: (netMinor: number) => number,
): number {
  const byId = new Map(earnLines.map((line) => [line.lineId, line]));
  let total = 0;
  for (const refunded of refundLines) {
    const earned = byId.get(refunded.lineItemId);
    if (!earned) {
      total += unknown(Math.max(0, refunded.subtotalMinor - (taxesIncluded ? refunded.taxMinor : 0)));
      continue;
    }
    if (earned.quantity <= 0 || refunded.quantity <= 0) continue;
    const share = Math.min(refunded.quantity, earned.quantity);
    total += Number((BigInt(measure(earned)) * BigInt(share) + BigInt(earned.quantity - 1)) / BigInt(earned.quantity));
  }
  return total;
}

/** The merchandise money a refund gives back, measured like the earn base. Gift cards give nothing. */
export function refundBase(earnLines: LineCalculation[], refundLines: RefundLine[], taxesIncluded: boolean): number {
  return measureRefund(
    earnLines,
    refundLines,
    taxesIncluded,
    (line) => line.baseMinor,
    (net) => net,
  );
}

/**
 * The share of an order's points a refund gives back, in the weights the earn used: a refunded unit of a
 * ×2 line takes back twice what a plain line's unit would.
 */
export function refundWeight(earnLines: LineCalculation[], refundLines: RefundLine[], taxesIncluded: boolean): number {
  return measureRefund(earnLines, refundLines, taxesIncluded, lineWeight, (net) => net * 100);
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

/**
 * How an order's cumulative reversed points are shared among the lots it earned (the order's own lot first,
 * then each campaign lot whose bonus expires sooner): in proportion to what each lot earned. Each lot in turn
 * takes its proportion of what is left, rounded down, and the last lot takes the rest, so a lot's share never
 * shrinks as refunds add up, never exceeds what the lot earned, and every lot is taken back in full once the
 * whole order is. The rounding falls on the later lots: the order's own, longer-lived points are taken back
 * rounded down.
 */
export function shareReversed(amounts: number[], reversed: number): number[] {
  let total = amounts.reduce((sum, amount) => sum + Math.max(0, amount), 0);
  let left = Math.max(0, Math.min(reversed, total));
  return amounts.map((amount, index) => {
    const earned = Math.max(0, amount);
    const share = total <= 0 ? 0 : index === amounts.length - 1 ? left : pointsDown(earned, left, total);
    total -= earned;
    left -= share;
    return share;
  });
}
