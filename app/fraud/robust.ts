/**
 * Robust statistics for anomaly scores: the median and the median absolute deviation (MAD) are not dragged by the
 * very outliers we look for, where a mean and a standard deviation would be (one abuser's 40 orders move a mean,
 * not a median).
 */

/** The middle value (the mean of the two middle values for an even count); NaN for no values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The median absolute deviation from the median; NaN for no values. */
export function mad(values: readonly number[], center = median(values)): number {
  return median(values.map((v) => Math.abs(v - center)));
}

/** The p-th percentile (0–100) by linear interpolation between closest ranks; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

/** Where a population sits: its median and its (floored) MAD. */
export interface Baseline {
  median: number;
  mad: number;
  /** How many values it was computed from. */
  n: number;
}

/** 0.6745 is the 75th percentile of the standard normal: it makes MAD/0.6745 estimate σ for normal data. */
export const MAD_TO_SIGMA = 0.6745;

/**
 * The modified z-score of Iglewicz and Hoaglin: 0.6745·(x − median)/MAD. Above 3.5 is their recommended outlier
 * cutoff. `madFloor` is the smallest spread believed: when most values are equal (every member buys once), the
 * MAD is 0 and any other value would score infinity, so the caller says what spread is ordinary in its units.
 */
export function robustZ(x: number, center: number, spread: number, madFloor: number): number {
  const m = Math.max(spread, madFloor);
  if (!(m > 0)) return x > center ? Number.POSITIVE_INFINITY : 0;
  return (MAD_TO_SIGMA * (x - center)) / m;
}

/** The baseline of a population. */
export function baselineOf(values: readonly number[]): Baseline {
  const center = median(values);
  return { median: center, mad: values.length ? mad(values, center) : Number.NaN, n: values.length };
}

/**
 * The MAD floor for counts of events (orders in a day): a Poisson count with mean λ has σ = √λ, and a buyer's rate
 * itself varies from day to day (a gamma-Poisson mixture: σ² = λ + λ²/k; k = 4 lets the rate swing by about half).
 * A MAD below 0.6745·σ understates the chance spread. With it, in a shop where members buy once (median 1, MAD 0) a
 * second order scores 0.9, not infinity; and a wholesale buyer's usual 5 orders a day may be 13 on a busy one.
 */
export function countMadFloor(center: number): number {
  const lambda = Math.max(1, center);
  return MAD_TO_SIGMA * Math.sqrt(lambda + (lambda * lambda) / 4);
}

/**
 * The MAD floor for log-scale amounts: `ratio` is the spread believed ordinary (2 means "twice or half the usual is
 * ordinary"). With it a z counts multiples of that ratio: z = log(x/median)/log(ratio).
 */
export function logMadFloor(ratio: number): number {
  return MAD_TO_SIGMA * Math.log(ratio);
}
