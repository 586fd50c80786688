/**
 * The special functions the purchase models need, in double precision: log-gamma (Lanczos, g = 7, nine
 * coefficients: about 15 significant digits for x > 0) and the Gauss hypergeometric function 2F1 by its series
 * (|z| < 1; the models call it with z = t / (alpha + T + t), below 1 for any finite horizon).
 */

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}`);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return HALF_LOG_TWO_PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** 2F1(a, b; c; z) by its power series, for 0 <= z < 1, to a relative 1e-14 (at most 100,000 terms). */
export function hypergeometric2F1(a: number, b: number, c: number, z: number): number {
  if (!(z >= 0 && z < 1)) throw new RangeError(`hypergeometric2F1 needs 0 <= z < 1, got ${z}`);
  let term = 1;
  let sum = 1;
  for (let j = 0; j < 100_000; j++) {
    term *= ((a + j) * (b + j) * z) / ((c + j) * (j + 1));
    sum += term;
    if (Math.abs(term) <= 1e-14 * Math.abs(sum)) return sum;
  }
  return sum;
}

/** ln(e^x + e^y) without overflow. */
export function logSumExp(x: number, y: number): number {
  const top = Math.max(x, y);
  if (top === -Infinity) return -Infinity;
  return top + Math.log(Math.exp(x - top) + Math.exp(y - top));
}
