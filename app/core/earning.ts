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
}

/**
 * The earn base of one line: what the shopper paid for the merchandise after discounts, without tax.
 * Shipping, tips and duties are not lines, so they never count; gift cards are money, not merchandise.
 */
export function lineBase(line: OrderLine, taxesIncluded: boolean): LineCalculation {
  if (line.giftCard) return { lineId: line.id, quantity: line.quantity, baseMinor: 0, excluded: "gift_card" };
  const gross = line.unitPriceMinor * line.quantity - line.discountMinor;
  const net = taxesIncluded ? gross - line.taxMinor : gross;
  return { lineId: line.id, quantity: line.quantity, baseMinor: Math.max(0, net) };
}

export function calculateEarn(order: EarnableOrder, program: ProgramSettings): Calculation {
  const lines = order.lines.map((line) => lineBase(line, order.taxesIncluded));
  const baseMinor = lines.reduce((sum, line) => sum + line.baseMinor, 0);
  const { points: rate, perMinor } = program.earnRate;
  return {
    currency: order.currency,
    baseMinor,
    rate: { points: rate, perMinor },
    points: pointsDown(baseMinor, rate, perMinor),
    rounding: "down",
    lines,
  };
}
