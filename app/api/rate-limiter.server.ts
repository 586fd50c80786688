import type { ApiKey } from "../generated/prisma/client";
import { take, type Bucket } from "./rate-limit";

// Per process, as the schema says: each instance allows a key its limit (a key's buckets are not shared).
const buckets = new Map<string, Bucket>();

/** Takes one request from the key's bucket: null when it may go on, or the seconds to wait before the next one. */
export function limitRate(key: Pick<ApiKey, "id" | "rateLimitPerMinute">, now = Date.now()): number | null {
  const result = take(buckets.get(key.id), key.rateLimitPerMinute, now);
  buckets.set(key.id, result.bucket);
  return result.allowed ? null : result.retryAfterSeconds;
}
