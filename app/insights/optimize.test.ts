import { describe, expect, it } from "vitest";
import { minimize } from "./optimize";

// Rosenbrock's banana valley: a narrow curved valley that defeats careless simplex steps; minimum 0 at (1, 1).
const rosenbrock = ([x, y]: number[]) => 100 * (y - x * x) ** 2 + (1 - x) ** 2;

describe("minimize (Nelder-Mead)", () => {
  it("finds Rosenbrock's minimum at (1, 1) from the classic start (-1.2, 1)", () => {
    const found = minimize(rosenbrock, [-1.2, 1]);
    expect(found.x[0]).toBeCloseTo(1, 5);
    expect(found.x[1]).toBeCloseTo(1, 5);
    expect(found.value).toBeLessThan(1e-10);
  });

  it("is deterministic: the same start gives the same point and iteration count", () => {
    expect(minimize(rosenbrock, [-1.2, 1])).toEqual(minimize(rosenbrock, [-1.2, 1]));
  });

  it("stops at the iteration cap, and sooner with a looser tolerance", () => {
    const capped = minimize(rosenbrock, [-1.2, 1], { maxIterations: 10, restarts: 0 });
    expect(capped.iterations).toBe(10);
    expect(capped.value).toBeGreaterThan(1e-3);
    const loose = minimize(rosenbrock, [-1.2, 1], { tolerance: 1e-3, restarts: 0 });
    const tight = minimize(rosenbrock, [-1.2, 1], { tolerance: 1e-12, restarts: 0 });
    expect(loose.iterations).toBeLessThan(tight.iterations);
  });

  it("treats a non-finite value as worse than any finite one, so a boundary is never crossed", () => {
    const bowl = ([x]: number[]) => (x < 0 ? NaN : (x - 2) ** 2);
    const found = minimize(bowl, [0.5]);
    expect(found.x[0]).toBeCloseTo(2, 5);
  });
});
