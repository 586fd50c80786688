import type { ProgramSettings } from "../program/program";
import { roundPoints, type RoundingPolicy } from "../shared/rounding";
import { campaignApplies, lineBoosts, matchesTarget, type Boost, type EarnContext, type ProductFacts } from "./rules";

/** One order line in the shop's currency, minor units. */
export interface OrderLine {
  id: string;
  quantity: number;
  unitPriceMinor: number;
  discountMinor: number;
  taxMinor: number;
  giftCard: boolean;
  product?: ProductFacts;
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
  excluded?: string;
  /** 100 plus every boost that applied. */
  percent?: number;
  boosts?: Boost[];
  /** baseMinor × percent: the line's share of the order's points (refunds take back by this). */
  weight?: number;
}

/** The explanation stored with an earn entry. */
export interface Calculation {
  currency: string;
  baseMinor: number;
  rate: { points: number; perMinor: number };
  points: number;
  rounding: RoundingPolicy;
  lines: LineCalculation[];
  /** Fixed campaign bonuses, added after rounding. */
  bonuses?: Array<{ source: string; points: number }>;
  /** Subtotal minus the per-line sums, when an order-level discount was not allocated to lines. */
  unallocatedMinor?: number;
}

/** A line's weight, also for calculations stored before weights existed. */
export function lineWeight(line: LineCalculation): number {
  return line.weight ?? line.baseMinor * 100;
}

function lineGross(line: OrderLine): number {
  return line.unitPriceMinor * line.quantity - line.discountMinor;
}

/** What one line contributes to the earn base: its merchandise after discounts, without tax. */
export function lineBase(line: OrderLine, taxesIncluded: boolean): LineCalculation {
  if (line.giftCard) return { lineId: line.id, quantity: line.quantity, baseMinor: 0, excluded: "gift card" };
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

const NO_CONTEXT: EarnContext = {
  placedAt: new Date(0),
  timezone: "UTC",
  customerTags: [],
  tierId: null,
  tierExtraPercent: 0,
};

/**
 * The points an order earns, and why. Each line's base is weighted by its boosts (see `lineBoosts` for the
 * stacking rule); the order's points are the weighted base at the program's rate, rounded once for the
 * whole order by the program's policy, plus any fixed campaign bonus.
 */
export function calculateEarn(
  order: EarnableOrder,
  program: ProgramSettings,
  context: EarnContext = NO_CONTEXT,
): Calculation {
  const { baseMinor, lines: based, unallocatedMinor } = earnBase(order);
  const campaigns = (program.campaigns ?? []).filter((campaign) => campaignApplies(campaign, context));
  const lines = based.map((line, index): LineCalculation => {
    if (line.excluded) return { ...line, weight: 0 };
    const product = order.lines[index].product ?? {};
    const { excludedBy, boosts } = lineBoosts(product, program.rules ?? [], campaigns, context);
    if (excludedBy) return { ...line, excluded: excludedBy, weight: 0 };
    const percent = Math.max(0, 100 + boosts.reduce((sum, boost) => sum + boost.percent, 0));
    return { ...line, percent, ...(boosts.length ? { boosts } : {}), weight: line.baseMinor * percent };
  });
  const weight = lines.reduce((sum, line) => sum + lineWeight(line), 0);
  const { points: rate, perMinor } = program.earnRate;
  const bonuses = campaigns
    .filter((campaign) => (campaign.bonusPoints ?? 0) > 0)
    .filter((campaign) =>
      order.lines.some((line, i) => !lines[i].excluded && matchesTarget(campaign.target, line.product ?? {})),
    )
    .map((campaign) => ({ source: campaign.name, points: campaign.bonusPoints! }));
  const rounding = program.rounding ?? "down";
  const points =
    roundPoints(weight, rate, perMinor * 100, rounding) + bonuses.reduce((sum, bonus) => sum + bonus.points, 0);
  return {
    currency: order.currency,
    baseMinor,
    rate: { points: rate, perMinor },
    points,
    rounding,
    lines,
    ...(bonuses.length ? { bonuses } : {}),
    ...(unallocatedMinor === undefined ? {} : { unallocatedMinor }),
  };
}
