/**
 * The BG/NBD model of repeat purchasing (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way: An
 * Alternative to the Pareto/NBD Model", Marketing Science 24(2)): while active a customer buys at a Poisson rate
 * λ ~ Gamma(r, α); after any purchase they become inactive with probability p ~ Beta(a, b). A customer is summarised
 * by x repeat purchases, tx the time of the last one and T the time since the first, all in weeks.
 *
 * - Likelihood: eq. (6) of the paper, in logs (its appendix's A1..A4 terms), fitted by maximum likelihood over the
 *   log-parameters.
 * - P(alive | x, tx, T): eq. (A10) of the paper's technical note.
 * - E[X(t)] for a new customer: eq. (7). E[Y(t) | x, tx, T], the conditional expectation: eq. (10).
 *
 * On the CDNOW 1/10 sample calibrated to 1997-09-30 the paper reports r = 0.243, α = 4.414, a = 0.793, b = 2.426 and
 * a log-likelihood of −9582.4 (test/insights/cdnow-fit.test.ts reproduces them).
 */
import { hypergeometric2F1, logGamma, logSumExp } from "./special-functions";
import { LOG_PARAMETER_BOUND, minimize } from "./optimize";

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** One customer: x repeat purchases, tx the time of the last one, T the time since the first, in weeks. */
export interface FrequencySummary {
  x: number;
  tx: number;
  T: number;
}

/** Identical customers once, with how many there are: a shop's thousands of one-time buyers of a day are one row. */
interface Group {
  x: number;
  tx: number;
  T: number;
  count: number;
}

function groupCustomers(customers: readonly FrequencySummary[]): Group[] {
  const groups = new Map<string, Group>();
  for (const c of customers) {
    const key = `${c.x}|${c.tx}|${c.T}`;
    const found = groups.get(key);
    if (found) found.count++;
    else groups.set(key, { ...c, count: 1 });
  }
  return [...groups.values()];
}

function logLikelihoodOfGroups(params: BgNbdParams, groups: readonly Group[], xs: readonly number[]): number {
  const { r, alpha, a, b } = params;
  // The gamma-function terms depend on x alone: once per distinct x, not per customer.
  const byX = new Map<number, { a1: number; a2: number; a4: number }>();
  const lgR = logGamma(r);
  const lgB = logGamma(b);
  const lgAB = logGamma(a + b);
  for (const x of xs) {
    byX.set(x, {
      a1: logGamma(r + x) - lgR + r * Math.log(alpha),
      a2: lgAB + logGamma(b + x) - lgB - logGamma(a + b + x),
      a4: x > 0 ? Math.log(a) - Math.log(b + x - 1) : 0,
    });
  }
  let total = 0;
  for (const g of groups) {
    const t = byX.get(g.x)!;
    const a3 = -(r + g.x) * Math.log(alpha + g.T);
    const inner = g.x > 0 ? logSumExp(a3, t.a4 - (r + g.x) * Math.log(alpha + g.tx)) : a3;
    total += g.count * (t.a1 + t.a2 + inner);
  }
  return total;
}

export function bgnbdLogLikelihood(params: BgNbdParams, customers: readonly FrequencySummary[]): number {
  const groups = groupCustomers(customers);
  return logLikelihoodOfGroups(params, groups, [...new Set(groups.map((g) => g.x))]);
}

const fromLog = (v: number[]): BgNbdParams => ({
  r: Math.exp(v[0]),
  alpha: Math.exp(v[1]),
  a: Math.exp(v[2]),
  b: Math.exp(v[3]),
});

/** Maximum-likelihood estimates of r, α, a, b. */
export function fitBgNbd(customers: readonly FrequencySummary[]): {
  params: BgNbdParams;
  logLikelihood: number;
  iterations: number;
} {
  if (customers.length === 0) throw new RangeError("fitBgNbd needs at least one customer");
  const groups = groupCustomers(customers);
  const xs = [...new Set(groups.map((g) => g.x))];
  // α starts at the mean age (its scale is weeks), the others at 1.
  const meanT = customers.reduce((s, c) => s + c.T, 0) / customers.length;
  const start = [0, Math.log(Math.max(meanT, 1e-3)), 0, 0];
  // Bounded as the Gamma-Gamma fit is (a shop where nobody seems to drop out sends a and b off to infinity).
  const objective = (v: number[]) =>
    v.some((value) => Math.abs(value) > LOG_PARAMETER_BOUND)
      ? Infinity
      : -logLikelihoodOfGroups(fromLog(v), groups, xs);
  const found = minimize(objective, start, { tolerance: 1e-13 });
  const params = fromLog(found.x);
  return { params, logLikelihood: -found.value, iterations: found.iterations };
}

/** P(alive | x, tx, T): the chance the customer has not dropped out. A customer with no repeat purchase is alive. */
export function probabilityAlive(params: BgNbdParams, customer: FrequencySummary): number {
  const { r, alpha, a, b } = params;
  const { x, tx, T } = customer;
  if (x === 0) return 1;
  const logRatio = Math.log(a / (b + x - 1)) + (r + x) * Math.log((alpha + T) / (alpha + tx));
  return 1 / (1 + Math.exp(logRatio));
}

/** E[Y(t) | x, tx, T]: expected repeat purchases in the next t weeks of this customer (eq. 10). */
export function expectedPurchases(params: BgNbdParams, customer: FrequencySummary, t: number): number {
  const { r, alpha, a, b } = params;
  const { x, tx, T } = customer;
  if (t <= 0) return 0;
  const z = t / (alpha + T + t);
  const hyper = hypergeometric2F1(r + x, b + x, a + b + x - 1, z);
  const numerator = ((a + b + x - 1) / (a - 1)) * (1 - Math.pow((alpha + T) / (alpha + T + t), r + x) * hyper);
  const denominator = 1 + (x > 0 ? (a / (b + x - 1)) * Math.pow((alpha + T) / (alpha + tx), r + x) : 0);
  return numerator / denominator;
}

/** E[X(t)]: expected repeat purchases of a new customer in t weeks from the first purchase (eq. 7). */
export function expectedPurchasesNew(params: BgNbdParams, t: number): number {
  const { r, alpha, a, b } = params;
  if (t <= 0) return 0;
  const hyper = hypergeometric2F1(r, b, a + b - 1, t / (alpha + t));
  return ((a + b - 1) / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), r) * hyper);
}
