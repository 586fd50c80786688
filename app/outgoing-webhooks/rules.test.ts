import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ledgerEvent } from "./events";
import { nextAttemptAfter, retryDelay, RETRY_FOR_MS } from "./retry";
import { signature, verifySignature } from "./sign";
import { checkSubscription } from "./subscription";

describe("signing a delivery", () => {
  const body = JSON.stringify({ id: "ledger:order:1", event: "points.earned" });

  it("is v1= and the hex HMAC-SHA256 of '<timestamp>.<raw body>', as the README tells receivers", () => {
    const expected = createHmac("sha256", "whsec_test").update(`1767225600.${body}`).digest("hex");
    expect(signature("whsec_test", 1767225600, body)).toBe(`v1=${expected}`);
  });

  it("verifies within five minutes, and not with another secret, another body or an old timestamp", () => {
    const header = { timestamp: "1767225600", signature: signature("whsec_test", 1767225600, body) };
    expect(verifySignature("whsec_test", header, body, 1767225600 + 299)).toBe(true);
    expect(verifySignature("whsec_other", header, body, 1767225600)).toBe(false);
    expect(verifySignature("whsec_test", header, `${body} `, 1767225600)).toBe(false);
    expect(verifySignature("whsec_test", header, body, 1767225600 + 301)).toBe(false);
    expect(verifySignature("whsec_test", { timestamp: null, signature: null }, body, 1767225600)).toBe(false);
  });
});

describe("retrying a delivery", () => {
  it("waits 30 s after the first failure, doubling, never more than an hour", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 20].map(retryDelay)).toEqual([
      30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000, 3_600_000,
    ]);
  });

  it("keeps trying for 24 hours after the event, then gives up", () => {
    const createdAt = new Date("2026-01-01T00:00:00Z");
    const at = (ms: number) => new Date(createdAt.getTime() + ms);
    expect(nextAttemptAfter({ attempts: 30, createdAt, now: at(RETRY_FOR_MS - 1) })).toEqual(
      at(RETRY_FOR_MS - 1 + 3_600_000),
    );
    expect(nextAttemptAfter({ attempts: 31, createdAt, now: at(RETRY_FOR_MS) })).toBeNull();
  });
});

describe("what a ledger entry is told as", () => {
  it("earn, redeem, expire and adjust are events; a reversal is an adjustment; holds and activations are not told", () => {
    expect(
      ["earn", "redeem", "expire", "adjust", "reverse", "activate", "reserve", "release"].map(ledgerEvent),
    ).toEqual([
      "points.earned",
      "points.redeemed",
      "points.expired",
      "points.adjusted",
      "points.adjusted",
      null,
      null,
      null,
    ]);
  });
});

describe("checking a subscription", () => {
  const check = (url: unknown, events: unknown, allowLoopbackHttp = false) =>
    checkSubscription({ url, events }, { allowLoopbackHttp });

  it("takes an https URL and known events, each once, in the canonical order", () => {
    expect(check(" https://hooks.example.com/in ", ["tier.changed", "points.earned", "tier.changed"])).toEqual({
      ok: true,
      url: "https://hooks.example.com/in",
      events: ["points.earned", "tier.changed"],
    });
  });

  it("takes plain http only to this machine, and only when allowed (tests, local mode)", () => {
    expect(check("http://127.0.0.1:8080/h", ["points.earned"], true)).toMatchObject({ ok: true });
    expect(check("http://localhost/h", ["points.earned"], true)).toMatchObject({ ok: true });
    expect(check("http://127.0.0.1:8080/h", ["points.earned"])).toEqual({
      ok: false,
      problems: [{ field: "url", code: "https" }],
    });
    expect(check("http://example.com/h", ["points.earned"], true)).toEqual({
      ok: false,
      problems: [{ field: "url", code: "https" }],
    });
  });

  it("names every problem", () => {
    expect(check(undefined, undefined)).toEqual({
      ok: false,
      problems: [
        { field: "url", code: "missing" },
        { field: "events", code: "none" },
      ],
    });
    expect(check("not a url", ["points.won"])).toEqual({
      ok: false,
      problems: [
        { field: "url", code: "invalid" },
        { field: "events", code: "unknown" },
      ],
    });
    expect(check(`https://example.com/${"x".repeat(2048)}`, ["points.earned"])).toEqual({
      ok: false,
      problems: [{ field: "url", code: "tooLong" }],
    });
  });
});
