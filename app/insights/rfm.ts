/**
 * RFM segments. Each member gets a recency, frequency and monetary score from 1 to 5 by where they stand among the
 * shop's own members (quintiles), so "recent" means recent for this shop: a furniture shop's buyers return
 * yearly, a coffee shop's weekly, and a fixed "30 days" would call every furniture buyer lost.
 *
 * Scores are tie-safe: a member's score is 1 + ⌊5 × (members strictly worse) / members⌋, capped at 5, so members
 * with equal figures always share a score (most members of a young shop have bought on one day only: they all get
 * frequency 1 rather than being split across quintiles at random).
 *
 * The segment is then read from the scores (the usual recency × frequency grid; monetary only lifts a lapsing big
 * spender to "at risk"). P(alive) is not used: it is shown beside the segment, and a segment built from the same
 * model would only repeat it. Rules, first match wins:
 * - champions: R ≥ 4 and F ≥ 4 — bought lately and often;
 * - loyal: R ≥ 3 and F ≥ 3;
 * - new: R ≥ 4 and one purchase day only;
 * - promising: R ≥ 3 — recent, few purchases yet;
 * - at_risk: R ≤ 2 and (F ≥ 3 or M ≥ 4) — used to buy often or much, not lately;
 * - hibernating: R = 2;
 * - lost: R = 1.
 */
export const RFM_SEGMENTS = ["champions", "loyal", "promising", "new", "at_risk", "hibernating", "lost"] as const;
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

export interface RfmInput {
  /** Days since the last purchase day: fewer is better. */
  daysSinceLast: number;
  purchaseDays: number;
  meanOrderMinor: number;
}

export interface RfmScore {
  r: number;
  f: number;
  m: number;
  segment: RfmSegment;
}

export function isRfmSegment(value: string): value is RfmSegment {
  return (RFM_SEGMENTS as readonly string[]).includes(value);
}

/** For each value, how many values are strictly below it, from one sort (n log n for 100,000 members). */
function countsBelow(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
  const below = new Array<number>(values.length);
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j < order.length && values[order[j]] === values[order[i]]) j += 1;
    for (let k = i; k < j; k++) below[order[k]] = i;
    i = j;
  }
  return below;
}

function quintiles(values: readonly number[]): number[] {
  const n = values.length;
  return countsBelow(values).map((below) => Math.min(5, 1 + Math.floor((5 * below) / n)));
}

export function segmentFor(r: number, f: number, m: number, purchaseDays: number): RfmSegment {
  if (r >= 4 && f >= 4) return "champions";
  if (r >= 3 && f >= 3) return "loyal";
  if (r >= 4 && purchaseDays === 1) return "new";
  if (r >= 3) return "promising";
  if (f >= 3 || m >= 4) return "at_risk";
  if (r === 2) return "hibernating";
  return "lost";
}

/** Scores and segments for all of a shop's members at once, in the order given. */
export function scoreRfm(members: readonly RfmInput[]): RfmScore[] {
  // Recency is better when smaller: rank its negation.
  const r = quintiles(members.map((m) => -m.daysSinceLast));
  const f = quintiles(members.map((m) => m.purchaseDays));
  const m = quintiles(members.map((x) => x.meanOrderMinor));
  return members.map((member, i) => ({
    r: r[i],
    f: f[i],
    m: m[i],
    segment: segmentFor(r[i], f[i], m[i], member.purchaseDays),
  }));
}
