/** A figure with its 95 % confidence interval. */
export interface Estimate {
  value: number;
  low: number;
  high: number;
}

/**
 * Below this many members in either group the interval is too wide (and Welch's approximation too rough) to
 * say anything; the report says "too few members in the control group" instead of a figure.
 */
export const MIN_GROUP_MEMBERS = 20;

const z975 = 1.959963984540054;

/**
 * The 97.5 % quantile of Student's t with `df` degrees of freedom, by the Cornish–Fisher expansion
 * (Abramowitz & Stegun 26.7.5): within 0.1 % of the exact value from 3 degrees of freedom up, which is far
 * finer than the intervals it widens, and it keeps this module free of a statistics dependency.
 */
export function tQuantile975(df: number): number {
  if (!Number.isFinite(df)) return z975;
  const z = z975;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  const z9 = z ** 9;
  const g1 = (z3 + z) / 4;
  const g2 = (5 * z5 + 16 * z3 + 3 * z) / 96;
  const g3 = (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / 384;
  const g4 = (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

function meanAndVariance(values: number[]): { mean: number; variance: number } {
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1);
  return { mean, variance };
}

/**
 * What the campaign added over all `scaleTo` treatment members: the difference of the groups' per-member means
 * with Welch's unequal-variance 95 % interval, multiplied by the treatment group's size. Null below
 * MIN_GROUP_MEMBERS in either group.
 */
export function incrementalEstimate(
  treatment: number[],
  control: number[],
  scaleTo = treatment.length,
): Estimate | null {
  if (treatment.length < MIN_GROUP_MEMBERS || control.length < MIN_GROUP_MEMBERS) return null;
  const t = meanAndVariance(treatment);
  const c = meanAndVariance(control);
  const vt = t.variance / treatment.length;
  const vc = c.variance / control.length;
  const se = Math.sqrt(vt + vc);
  const diff = t.mean - c.mean;
  // Two groups without any spread (everyone ordered exactly once) leave no uncertainty to estimate.
  const df = se === 0 ? Infinity : (vt + vc) ** 2 / (vt ** 2 / (treatment.length - 1) + vc ** 2 / (control.length - 1));
  const half = tQuantile975(df) * se;
  return { value: diff * scaleTo, low: (diff - half) * scaleTo, high: (diff + half) * scaleTo };
}

/** Whether an interval rules out "no difference". */
export const isSignificant = (estimate: Estimate): boolean => estimate.low > 0 || estimate.high < 0;
