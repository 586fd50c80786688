/**
 * The one rounding policy for points: always down, so a shopper is never shown a point that the next
 * calculation takes back. Uses BigInt so large baskets times large rates cannot lose precision.
 */
export function pointsDown(numerator: number, times: number, divisor: number): number {
  if (divisor <= 0) throw new RangeError("divisor must be positive");
  if (numerator <= 0 || times <= 0) return 0;
  return Number((BigInt(numerator) * BigInt(times)) / BigInt(divisor));
}
