/**
 * Nelder-Mead minimisation (Lagarias et al. 1998 coefficients: reflect 1, expand 2, contract 1/2, shrink 1/2),
 * deterministic, for the models' few parameters. The models minimise over log-parameters, so every step stays in
 * the positive domain. A restart from the best point (a fresh simplex) guards against a collapsed simplex.
 */

/**
 * Log-parameters beyond ±20 (e^20 ≈ 5 × 10^8) are out of bounds. The models' likelihoods can rise forever towards a
 * boundary: Gamma-Gamma's q and γ together when customers' spend hardly differs (γp/(q−1), the mean, is already what
 * it tends to), BG/NBD's a and b when nobody seems to drop out. The bound stops the search there.
 */
export const LOG_PARAMETER_BOUND = 20;

export interface Minimum {
  x: number[];
  value: number;
  iterations: number;
}

export interface MinimizeOptions {
  /** Stop when the simplex's values differ by less than this. */
  tolerance?: number;
  maxIterations?: number;
  /** The initial simplex's step along each axis. */
  step?: number;
  restarts?: number;
}

function nelderMead(f: (x: number[]) => number, start: number[], tolerance: number, max: number, step: number) {
  const n = start.length;
  const value = (x: number[]) => {
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  let simplex = [start, ...start.map((_, i) => start.map((v, j) => (i === j ? v + step : v)))].map((x) => ({
    x,
    v: value(x),
  }));
  let iterations = 0;
  while (iterations < max) {
    simplex.sort((p, q) => p.v - q.v);
    const best = simplex[0];
    const worst = simplex[n];
    if (Math.abs(worst.v - best.v) <= tolerance * (Math.abs(best.v) + 1e-12) && iterations > 0) break;
    iterations++;
    const centroid = start.map((_, j) => simplex.slice(0, n).reduce((s, p) => s + p.x[j], 0) / n);
    const along = (k: number) => centroid.map((c, j) => c + k * (worst.x[j] - c));
    const reflected = along(-1);
    const rv = value(reflected);
    if (rv < best.v) {
      const expanded = along(-2);
      const ev = value(expanded);
      simplex[n] = ev < rv ? { x: expanded, v: ev } : { x: reflected, v: rv };
    } else if (rv < simplex[n - 1].v) {
      simplex[n] = { x: reflected, v: rv };
    } else {
      const contracted = rv < worst.v ? along(-0.5) : along(0.5);
      const cv = value(contracted);
      if (cv < Math.min(rv, worst.v)) simplex[n] = { x: contracted, v: cv };
      else {
        simplex = simplex.map((p, i) =>
          i === 0 ? p : { x: p.x.map((v, j) => best.x[j] + 0.5 * (v - best.x[j])), v: 0 },
        );
        for (let i = 1; i <= n; i++) simplex[i].v = value(simplex[i].x);
      }
    }
  }
  simplex.sort((p, q) => p.v - q.v);
  return { x: simplex[0].x, value: simplex[0].v, iterations };
}

/** The minimum of f near start. */
export function minimize(f: (x: number[]) => number, start: number[], options: MinimizeOptions = {}): Minimum {
  const tolerance = options.tolerance ?? 1e-12;
  const max = options.maxIterations ?? 5000;
  const step = options.step ?? 0.5;
  let result = nelderMead(f, start, tolerance, max, step);
  let iterations = result.iterations;
  for (let r = 0; r < (options.restarts ?? 2); r++) {
    const again = nelderMead(f, result.x, tolerance, max, step / 4);
    iterations += again.iterations;
    const improved = again.value < result.value - tolerance * (Math.abs(result.value) + 1e-12);
    if (again.value <= result.value) result = again;
    if (!improved) break;
  }
  return { x: result.x, value: result.value, iterations };
}
