import { describe, expect, it } from "vitest";
import { availableAt, backoffAfterThrottled, MAX_WAIT_MS, waitBefore } from "./throttle";

const reading = { maximumAvailable: 2000, currentlyAvailable: 100, restoreRate: 100, at: 0 };

describe("the cost bucket", () => {
  it("restores at the restore rate, up to its maximum", () => {
    expect(availableAt(reading, 1000)).toBe(200);
    expect(availableAt(reading, 60_000)).toBe(2000);
  });

  it("waits only as long as the bucket needs to hold the next call's cost", () => {
    expect(waitBefore(reading, 50, 0)).toBe(0);
    expect(waitBefore(reading, 300, 0)).toBe(2000);
    expect(waitBefore(reading, 300, 1500)).toBe(500);
    expect(waitBefore(undefined, 1000, 0)).toBe(0);
  });

  it("never waits for more than the bucket can hold, nor longer than the cap", () => {
    expect(waitBefore({ ...reading, restoreRate: 50, currentlyAvailable: 0 }, 5000, 0)).toBe(MAX_WAIT_MS);
  });

  it("backs off after THROTTLED by what Shopify reported, else doubling", () => {
    expect(backoffAfterThrottled(1, { maximumAvailable: 1000, currentlyAvailable: 10, restoreRate: 50 }, 110)).toBe(
      2000,
    );
    expect(backoffAfterThrottled(1, undefined, 100)).toBe(500);
    expect(backoffAfterThrottled(3, undefined, 100)).toBe(2000);
    expect(backoffAfterThrottled(30, undefined, 100)).toBe(MAX_WAIT_MS);
  });
});
