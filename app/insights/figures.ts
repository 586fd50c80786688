import type { TierLevel } from "../program/tiers";

/** A member counts as stalled when their qualifying value is within this share below the next tier's threshold. */
export const STALL_BAND = 0.1;
/** P(alive) below this is "at risk": the model gives even odds or worse that the member is still buying. */
export const AT_RISK_P_ALIVE = 0.5;
/** RFM segments that are at risk whatever P(alive) says: they used to buy and have stopped. */
export const AT_RISK_SEGMENTS: ReadonlySet<string> = new Set(["at_risk", "hibernating"]);
const HORIZON_WEEKS = 90 / 7;

export interface TierStep {
  /** The tier the stalled members are in (null: no tier yet) and the one they are close to. */
  fromTierId: string | null;
  toTierId: string;
  toThreshold: number;
  /** Members in fromTier whose qualifying value is at least 90 % of toThreshold and below it. */
  stalled: number;
  /** What the stalled members still need to reach toThreshold, summed (spend in minor units, or points). */
  gapTotal: number;
  /** Members who moved up into toTier in the period (TierChange rows). */
  crossed: number;
}

/**
 * The tier funnel: for each tier, who is stuck just below it and who crossed into it. A member is measured against
 * the next tier above the one they hold, on the program's own basis (spend or points in the qualifying period).
 */
export function tierFunnel(
  levels: TierLevel[],
  members: Array<{ tierId: string | null; value: number }>,
  crossings: Array<{ toTier: string | null }>,
): TierStep[] {
  const ladder = [...levels].sort((a, b) => a.threshold - b.threshold);
  return ladder.map((level, i) => {
    const fromTierId = i === 0 ? null : ladder[i - 1].id;
    const floor = level.threshold * (1 - STALL_BAND);
    const near = members.filter(
      (m) => (m.tierId ?? null) === fromTierId && m.value >= floor && m.value < level.threshold,
    );
    return {
      fromTierId,
      toTierId: level.id,
      toThreshold: level.threshold,
      stalled: near.length,
      gapTotal: near.reduce((sum, m) => sum + (level.threshold - m.value), 0),
      crossed: crossings.filter((c) => c.toTier === level.id).length,
    };
  });
}

export interface InsightRow {
  memberId: string;
  pAlive: number;
  rfmSegment: string;
  frequency: number;
  ageWeeks: number;
  monetaryMinor: number;
  expectedValueMinor: number;
  tierId: string | null;
}

export function isAtRisk(row: Pick<InsightRow, "pAlive" | "rfmSegment">): boolean {
  return AT_RISK_SEGMENTS.has(row.rfmSegment) || row.pAlive < AT_RISK_P_ALIVE;
}

/**
 * What an at-risk member used to spend per 90 days: their purchase days (repeat ones plus the first) times their
 * mean order, spread over the weeks they have been a customer, but never over less than 90 days, so a member with
 * one recent order is not extrapolated beyond what they spent. Their expected value is not used: for a member the
 * model thinks has gone, it is near zero by construction, which is the loss, not the stake.
 */
export function valueAtStake(row: Pick<InsightRow, "frequency" | "ageWeeks" | "monetaryMinor">): number {
  const orders = row.frequency + 1;
  return Math.round((orders * row.monetaryMinor * HORIZON_WEEKS) / Math.max(row.ageWeeks, HORIZON_WEEKS));
}

export interface AtRiskFigures {
  members: number;
  valueAtStakeMinor: number;
  /** At-risk members whose stake is at least one of the shop's mean orders: worth winning back. */
  highValue: number;
  /** The high-value at-risk members by the tier they hold (null: none), most first: whom a win-back can target. */
  highValueByTier: Array<{ tierId: string | null; members: number }>;
  /** Their mean value at stake, in minor units (0 when there are none). */
  highValueMeanMinor: number;
  top: Array<{ memberId: string; valueAtStakeMinor: number; pAlive: number; rfmSegment: string }>;
}

export function atRisk(rows: InsightRow[], topCount = 10): AtRiskFigures {
  const meanOrder = rows.length === 0 ? 0 : rows.reduce((sum, r) => sum + r.monetaryMinor, 0) / rows.length;
  const risky = rows
    .filter(isAtRisk)
    .map((r) => ({
      memberId: r.memberId,
      valueAtStakeMinor: valueAtStake(r),
      pAlive: r.pAlive,
      rfmSegment: r.rfmSegment,
      tierId: r.tierId,
    }))
    .sort((a, b) => b.valueAtStakeMinor - a.valueAtStakeMinor || a.memberId.localeCompare(b.memberId));
  const high = risky.filter((r) => r.valueAtStakeMinor > 0 && r.valueAtStakeMinor >= meanOrder);
  const byTier = new Map<string | null, number>();
  for (const r of high) byTier.set(r.tierId, (byTier.get(r.tierId) ?? 0) + 1);
  return {
    members: risky.length,
    valueAtStakeMinor: risky.reduce((sum, r) => sum + r.valueAtStakeMinor, 0),
    highValue: high.length,
    highValueByTier: [...byTier]
      .map(([tierId, members]) => ({ tierId, members }))
      .sort((a, b) => b.members - a.members || String(a.tierId).localeCompare(String(b.tierId))),
    highValueMeanMinor:
      high.length === 0 ? 0 : Math.round(high.reduce((sum, r) => sum + r.valueAtStakeMinor, 0) / high.length),
    top: risky.slice(0, topCount).map(({ memberId, valueAtStakeMinor, pAlive, rfmSegment }) => ({
      memberId,
      valueAtStakeMinor,
      pAlive,
      rfmSegment,
    })),
  };
}

export interface Interval {
  value: number;
  low: number;
  high: number;
}

export interface LiftInput {
  incrementalRevenueMinor: Interval;
  pointsCostMinor: number;
  significant: boolean;
}

export interface ProgramReturn {
  /** Points redeemed in the period at the point's value, plus the bonus points of controlled campaigns. */
  costMinor: number;
  redeemedMinor: number;
  campaignBonusMinor: number;
  /** Null until a campaign with a control group shows a significant lift: nothing is measured, nothing is claimed. */
  incrementalRevenueMinor: Interval | null;
  /** Incremental revenue per unit of cost; null when either is unknown or the cost is nothing. */
  ratio: number | null;
  controlledCampaigns: number;
}

export function programReturn(redeemedPoints: number, pointValueMinor: number, lifts: LiftInput[]): ProgramReturn {
  const redeemedMinor = Math.max(redeemedPoints, 0) * pointValueMinor;
  const campaignBonusMinor = lifts.reduce((sum, lift) => sum + lift.pointsCostMinor, 0);
  const significant = lifts.filter((lift) => lift.significant);
  const incremental =
    significant.length === 0
      ? null
      : significant.reduce(
          (sum, lift) => ({
            value: sum.value + lift.incrementalRevenueMinor.value,
            low: sum.low + lift.incrementalRevenueMinor.low,
            high: sum.high + lift.incrementalRevenueMinor.high,
          }),
          { value: 0, low: 0, high: 0 },
        );
  const costMinor = redeemedMinor + campaignBonusMinor;
  return {
    costMinor,
    redeemedMinor,
    campaignBonusMinor,
    incrementalRevenueMinor: incremental,
    ratio: incremental && costMinor > 0 ? incremental.value / costMinor : null,
    controlledCampaigns: lifts.length,
  };
}
