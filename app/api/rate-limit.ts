/**
 * A token bucket per API key (pure): a key holds up to its per-minute limit in tokens, refilled evenly over the
 * minute; each request takes one. An empty bucket answers how long until the next token.
 */
export interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date, in milliseconds. */
  at: number;
}

export type Take =
  { allowed: true; bucket: Bucket; remaining: number } | { allowed: false; bucket: Bucket; retryAfterSeconds: number };

const MINUTE_MS = 60_000;

/** Takes one token from the bucket (a fresh, full one when there is none yet) at `now`. */
export function take(bucket: Bucket | undefined, perMinute: number, now: number): Take {
  const capacity = Math.max(1, perMinute);
  const start = bucket ?? { tokens: capacity, at: now };
  const elapsed = Math.max(0, now - start.at);
  const tokens = Math.min(capacity, start.tokens + (elapsed * capacity) / MINUTE_MS);
  if (tokens >= 1) {
    return { allowed: true, bucket: { tokens: tokens - 1, at: now }, remaining: Math.floor(tokens - 1) };
  }
  const waitMs = ((1 - tokens) * MINUTE_MS) / capacity;
  return { allowed: false, bucket: { tokens, at: now }, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
}
