import type { ProgramSettings } from "../program/program";
import { addDays, localDate } from "../shared/calendar";
import { roundPoints, type RoundingPolicy } from "../shared/rounding";
import {
  campaignApplies,
  lineBoosts,
  matchesTarget,
  type Boost,
  type Campaign,
  type EarnContext,
  type ProductFacts,
} from "./rules";

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

/**
 * A campaign's bonus kept in a lot of its own because the campaign's bonus expires sooner than the order's
 * points (`Campaign.bonusExpiryDays`).
 */
export interface CampaignLot {
  campaignId: string;
  /** The campaign's name when the order earned. */
  source: string;
  /** The campaign's share of the order's points: its extra percentage's points, plus its fixed bonus. */
  points: number;
  /** Of which the fixed bonus. */
  bonusPoints: number;
  expiryDays: number;
  /** The shop-local date at whose end these points expire (`expiryDays` after the order was placed). */
  expiresOn: string;
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
  /**
   * Campaign bonuses that expire sooner, each earned into a lot of its own; `points` counts them, and the
   * order's own lot holds the rest (see `earnLots`).
   */
  campaignLots?: CampaignLot[];
  /**
   * Set on the entry of one campaign lot: that campaign's id. Every earn entry of an order stores the whole
   * order's calculation; this says which part of it the entry is.
   */
  lot?: string;
  /** Campaigns that covered the order but not this member, who is in their control group (`Campaign.holdoutPercent`). */
  heldOut?: Array<{ campaignId: string; source: string }>;
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
 * whole order by the program's policy, plus any fixed campaign bonus. A campaign whose bonus expires sooner
 * has its share of those points listed in `campaignLots`, to be earned into a lot of its own.
 */
export function calculateEarn(
  order: EarnableOrder,
  program: ProgramSettings,
  context: EarnContext = NO_CONTEXT,
): Calculation {
  const { baseMinor, lines: based, unallocatedMinor } = earnBase(order);
  const campaigns = (program.campaigns ?? []).filter((campaign) => campaignApplies(campaign, context));
  const heldOut = holdoutCampaigns(program, context)
    .filter((campaign) => context.heldOutCampaignIds?.has(campaign.id))
    .map((campaign) => ({ campaignId: campaign.id, source: campaign.name }));
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
  const fixedBonusApplies = (campaign: Campaign) =>
    (campaign.bonusPoints ?? 0) > 0 &&
    order.lines.some((line, i) => !lines[i].excluded && matchesTarget(campaign.target, line.product ?? {}));
  const bonuses = campaigns
    .filter(fixedBonusApplies)
    .map((campaign) => ({ source: campaign.name, points: campaign.bonusPoints! }));
  const rounding = program.rounding ?? "down";
  const points =
    roundPoints(weight, rate, perMinor * 100, rounding) + bonuses.reduce((sum, bonus) => sum + bonus.points, 0);
  const campaignLots = splitCampaignLots(order, lines, campaigns, context, program, fixedBonusApplies);
  return {
    currency: order.currency,
    baseMinor,
    rate: { points: rate, perMinor },
    points,
    rounding,
    lines,
    ...(bonuses.length ? { bonuses } : {}),
    ...(unallocatedMinor === undefined ? {} : { unallocatedMinor }),
    ...(campaignLots.length ? { campaignLots } : {}),
    ...(heldOut.length ? { heldOut } : {}),
  };
}

/**
 * The campaigns with a control group that cover this order for this member, whichever group the member is in:
 * the ones the member must be assigned to before the earn is calculated.
 */
export function holdoutCampaigns(program: ProgramSettings, context: EarnContext): Campaign[] {
  const unheld = { ...context, heldOutCampaignIds: undefined };
  return (program.campaigns ?? []).filter(
    (campaign) => (campaign.holdoutPercent ?? 0) > 0 && campaignApplies(campaign, unheld),
  );
}

/**
 * The bonuses of the applying campaigns whose bonus expires sooner. A campaign's share of a line is its extra
 * percentage of the line's base, never more than what the line still earns once earlier such campaigns took
 * theirs (a line cut to ×0 by a −100% rule gives a campaign nothing); its points are that weight at the
 * program's rate rounded down, plus its fixed bonus. Rounding down each share keeps their sum within the
 * order's points, whatever the rounding policy: the order's own lot keeps the rest.
 */
function splitCampaignLots(
  order: EarnableOrder,
  lines: LineCalculation[],
  campaigns: Campaign[],
  context: EarnContext,
  program: ProgramSettings,
  fixedBonusApplies: (campaign: Campaign) => boolean,
): CampaignLot[] {
  const apart = campaigns.filter((campaign) => (campaign.bonusExpiryDays ?? 0) > 0);
  if (apart.length === 0) return [];
  const weights = new Map<string, number>();
  lines.forEach((line, i) => {
    if (line.excluded || !line.percent) return;
    let room = line.percent;
    for (const campaign of apart) {
      const extra = campaign.extraPercent ?? 0;
      if (extra <= 0 || !matchesTarget(campaign.target, order.lines[i].product ?? {})) continue;
      const share = Math.min(extra, room);
      room -= share;
      weights.set(campaign.id, (weights.get(campaign.id) ?? 0) + line.baseMinor * share);
    }
  });
  const placedOn = localDate(context.placedAt, context.timezone);
  return apart.flatMap((campaign) => {
    const bonusPoints = fixedBonusApplies(campaign) ? campaign.bonusPoints! : 0;
    const percentPoints = roundPoints(
      weights.get(campaign.id) ?? 0,
      program.earnRate.points,
      program.earnRate.perMinor * 100,
      "down",
    );
    const points = percentPoints + bonusPoints;
    if (points <= 0) return [];
    const expiryDays = campaign.bonusExpiryDays!;
    return [
      {
        campaignId: campaign.id,
        source: campaign.name,
        points,
        bonusPoints,
        expiryDays,
        expiresOn: addDays(placedOn, expiryDays),
      },
    ];
  });
}

/**
 * The lots an order's earn is written as: each campaign bonus that expires sooner in a lot of its own, and the
 * order's own points (what the campaign lots leave) in the order's lot.
 */
export function earnLots(calculation: Calculation): { orderPoints: number; campaignLots: CampaignLot[] } {
  const campaignLots = calculation.campaignLots ?? [];
  return {
    orderPoints: calculation.points - campaignLots.reduce((sum, lot) => sum + lot.points, 0),
    campaignLots,
  };
}
