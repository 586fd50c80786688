import type { ProgramSettings } from "./program";
import { pointsDown } from "./rounding";

/** One order line in the shop's currency, minor units. */
export interface OrderLine {
  id: string;
  quantity: number;
  unitPriceMinor: number;
  discountMinor: number;
  taxMinor: number;
  giftCard: boolean;
}

export interface EarnableOrder {
  currency: string;
  taxesIncluded: boolean;
  /** Shopify's subtotal_price: merchandise after all discounts, before shipping, duties and tips. */
  subtotalMinor?: number;
  lines: OrderLine[];
}

export interface LineCalculation {
  lineId: string;
  quantity: number;
  baseMinor: number;
  excluded?: "gift_card";
}

/** The explanation stored with an earn entry. */
export interface Calculation {
  currency: string;
  baseMinor: number;
  rate: { points: number; perMinor: number };
  points: number;
  rounding: "down";
  lines: LineCalculation[];
  /** Subtotal minus the per-line sums, when an order-level discount was not allocated to lines. */
  unallocatedMinor?: number;
}

function lineGross(line: OrderLine): number {
  return line.unitPriceMinor * line.quantity - line.discountMinor;
}

/** What one line contributes to the earn base: its merchandise after discounts, without tax. */
export function lineBase(line: OrderLine, taxesIncluded: boolean): LineCalculation {
  if (line.giftCard) return { lineId: line.id, quantity: line.quantity, baseMinor: 0, excluded: "gift_card" };
  const net = lineGross(line) - (taxesIncluded ? line.taxMinor : 0);
  return { lineId: line.id, quantity: line.quantity, baseMinor: Math.max(0, net) };
}

/**
 * The earn base is the order's subtotal (after every discount) without gift cards and, where prices
 * include it, without tax; shipping, duties and tips are never in it. When Shopify's subtotal and the
 * line sums disagree (a discount not allocated to lines), the subtotal wins and is spread over the lines
 * in proportion, so later refunds of a line take back that line's true share.
 */
export function earnBase(order: EarnableOrder): {
  baseMinor: number;
  lines: LineCalculation[];
  unallocatedMinor?: number;
} {
  const lines = order.lines.map((line) => lineBase(line, order.taxesIncluded));
  const lineSum = lines.reduce((sum, line) => sum + line.baseMinor, 0);
  if (order.subtotalMinor === undefined) return { baseMinor: lineSum, lines };
  const notMerchandise = order.lines.reduce(
    (sum, line) => sum + (line.giftCard ? lineGross(line) : order.taxesIncluded ? line.taxMinor : 0),
    0,
  );
  const baseMinor = Math.max(0, order.subtotalMinor - notMerchandise);
  if (baseMinor === lineSum || lineSum === 0) return { baseMinor: lineSum === 0 ? 0 : baseMinor, lines };
  return { baseMinor, lines: spread(lines, lineSum, baseMinor), unallocatedMinor: baseMinor - lineSum };
}

/** Rescales line bases to a new total, largest remainder first, so they add up exactly. */
function spread(lines: LineCalculation[], from: number, to: number): LineCalculation[] {
  const scaled = lines.map((line) => {
    const exact = BigInt(line.baseMinor) * BigInt(to);
    return { line, share: Number(exact / BigInt(from)), remainder: Number(exact % BigInt(from)) };
  });
  let left = to - scaled.reduce((sum, item) => sum + item.share, 0);
  for (const item of [...scaled].sort((a, b) => b.remainder - a.remainder)) {
    if (left === 0) break;
    if (item.line.baseMinor === 0) continue;
    item.share += 1;
    left -= 1;
  }
  return scaled.map(({ line, share }) => ({ ...line, baseMinor: share }));
}

export function calculateEarn(order: EarnableOrder, program: ProgramSettings): Calculation {
  const { baseMinor, lines, unallocatedMinor } = earnBase(order);
  const { points: rate, perMinor } = program.earnRate;
  return {
    currency: order.currency,
    baseMinor,
    rate: { points: rate, perMinor },
    points: pointsDown(baseMinor, rate, perMinor),
    rounding: "down",
    lines,
    ...(unallocatedMinor === undefined ? {} : { unallocatedMinor }),
  };
}
