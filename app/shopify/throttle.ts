/**
 * Shopify's GraphQL Admin API limits each app and shop by a leaky bucket of query cost points
 * (`extensions.cost.throttleStatus`). These rules decide how long to wait before the next call so that the bucket
 * holds enough for it, and how long to back off after Shopify answered THROTTLED.
 */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface BucketReading extends ThrottleStatus {
  /** When the reading was taken (ms since the epoch). */
  at: number;
}

/** The longest single wait: Shopify's bucket refills fully well within this at every plan's restore rate. */
export const MAX_WAIT_MS = 20_000;

/** Points in the bucket at `now`, counting what it restored since the reading. */
export function availableAt(reading: BucketReading, now: number): number {
  const restored = (Math.max(0, now - reading.at) / 1000) * reading.restoreRate;
  return Math.min(reading.maximumAvailable, reading.currentlyAvailable + restored);
}

/** How long to wait before a call expected to cost `cost` points (0 when the bucket already holds enough). */
export function waitBefore(reading: BucketReading | undefined, cost: number, now: number): number {
  if (!reading || reading.restoreRate <= 0) return 0;
  const needed = Math.min(cost, reading.maximumAvailable) - availableAt(reading, now);
  if (needed <= 0) return 0;
  return Math.min(MAX_WAIT_MS, Math.ceil((needed / reading.restoreRate) * 1000));
}

/**
 * The back-off after THROTTLED, attempt 1, 2, …: what the bucket needs to restore the requested cost when Shopify
 * said how full it is, else doubling from half a second; never longer than MAX_WAIT_MS.
 */
export function backoffAfterThrottled(attempt: number, status: ThrottleStatus | undefined, cost: number): number {
  if (status && status.restoreRate > 0) {
    const needed = Math.max(1, Math.min(cost, status.maximumAvailable) - status.currentlyAvailable);
    return Math.min(MAX_WAIT_MS, Math.ceil((needed / status.restoreRate) * 1000));
  }
  return Math.min(MAX_WAIT_MS, 500 * 2 ** Math.max(0, attempt - 1));
}
