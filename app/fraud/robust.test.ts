import { describe, expect, it } from "vitest";
import { countMadFloor, logMadFloor, mad, median, percentile, robustZ } from "./robust";

describe("robust statistics", () => {
  it("the median and MAD ignore the outlier a mean would chase", () => {
    const values = [1, 1, 2, 2, 3, 40];
    expect(median(values)).toBe(2);
    expect(mad(values)).toBe(1);
    expect(median([])).toBeNaN();
  });

  it("percentiles interpolate between ranks", () => {
    expect(percentile([1, 2, 3, 4, 5], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5], 95)).toBeCloseTo(4.8);
    expect(percentile([10], 99)).toBe(10);
  });

  it("a robust z is 0.6745·(x − median)/MAD", () => {
    expect(robustZ(10, 4, 2, 0)).toBeCloseTo((0.6745 * 6) / 2);
  });

  it("in a shop where everyone buys once, a second order scores under 1, not infinity; a sixth scores past 3.5", () => {
    const counts = Array.from({ length: 500 }, () => 1);
    const z = robustZ(2, median(counts), mad(counts), countMadFloor(median(counts)));
    expect(z).toBeCloseTo(0.89, 2);
    expect(robustZ(6, 1, 0, countMadFloor(1))).toBeGreaterThan(3.5);
  });

  it("a heavy buyer's count may swing by half: 13 orders where 5 are usual is not an outlier", () => {
    expect(robustZ(13, 5, 0, countMadFloor(5))).toBeLessThan(3.5);
  });

  it("with the log floor at ×2, z counts doublings", () => {
    expect(robustZ(Math.log(800), Math.log(100), 0, logMadFloor(2))).toBeCloseTo(3);
  });
});
