/**
 * Rounding points, in one place. Earning follows the merchant's policy (`down` by default: a shopper is
 * never shown a point the next calculation takes back; `nearest` rounds halves up). Everything else that
 * produces points (reversals, limits) rounds down. BigInt, so large baskets at large rates stay exact.
 */
export type RoundingPolicy = "down" | "nearest";

export function pointsDown(numerator: number, times: number, divisor: number): number {
  return roundPoints(numerator, times, divisor, "down");
}

export function roundPoints(numerator: number, times: number, divisor: number, policy: RoundingPolicy): number {
  if (divisor <= 0) throw new RangeError("divisor must be positive");
  if (numerator <= 0 || times <= 0) return 0;
  const product = BigInt(numerator) * BigInt(times);
  const d = BigInt(divisor);
  return Number(policy === "nearest" ? (product * 2n + d) / (2n * d) : product / d);
}
