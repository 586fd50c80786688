import type { ApiKey } from "../generated/prisma/client";
import { take, type Bucket } from "./rate-limit";

// Per process, as the schema says: each instance allows a caller its limit (the buckets are not shared).
const buckets = new Map<string, Bucket>();

/** Beyond this many callers, buckets idle long enough to be full again are dropped (they would start full anyway). */
const MAX_BUCKETS = 10_000;
const REFILLED_MS = 60_000;

/** A shopper's assistant (MCP through the app proxy) may make this many requests a minute per customer. */
export const SHOPPER_MCP_PER_MINUTE = 30;

/**
 * Takes one request from the caller's bucket (`key:<id>`, `shopper:<shop>:<customer>`): null when it may go on, or the
 * seconds to wait before the next one.
 */
export function limitRateOf(caller: string, perMinute: number, now = Date.now()): number | null {
  if (buckets.size >= MAX_BUCKETS) {
    for (const [id, bucket] of buckets) if (now - bucket.at >= REFILLED_MS) buckets.delete(id);
  }
  const result = take(buckets.get(caller), perMinute, now);
  buckets.set(caller, result.bucket);
  return result.allowed ? null : result.retryAfterSeconds;
}

/** An API key's limit, shared by its REST and MCP requests. */
export function limitRate(key: Pick<ApiKey, "id" | "rateLimitPerMinute">, now = Date.now()): number | null {
  return limitRateOf(`key:${key.id}`, key.rateLimitPerMinute, now);
}
