import { describe, expect, it } from "vitest";
import { take, type Bucket } from "./rate-limit";

/** Takes `n` tokens at one instant; the last answer. */
function takeMany(n: number, perMinute: number, now: number, bucket?: Bucket) {
  let result = take(bucket, perMinute, now);
  for (let i = 1; i < n; i++) result = take(result.bucket, perMinute, now);
  return result;
}

describe("a key's token bucket", () => {
  it("a key limited to 3 a minute makes 3 requests at once, and the 4th waits 20 seconds", () => {
    const third = takeMany(3, 3, 0);
    expect(third).toMatchObject({ allowed: true, remaining: 0 });
    expect(take(third.bucket, 3, 0)).toMatchObject({ allowed: false, retryAfterSeconds: 20 });
  });

  it("tokens come back evenly over the minute: 20 seconds later one more request goes through", () => {
    const spent = takeMany(3, 3, 0);
    expect(take(spent.bucket, 3, 19_000).allowed).toBe(false);
    expect(take(spent.bucket, 3, 20_000)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it("an idle bucket never holds more than the limit", () => {
    const spent = takeMany(3, 3, 0);
    const later = take(spent.bucket, 3, 3_600_000);
    expect(later).toMatchObject({ allowed: true, remaining: 2 });
  });

  it("asks to wait at least a second, never 0", () => {
    const spent = takeMany(600, 600, 0);
    expect(take(spent.bucket, 600, 0)).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
  });
});
