import { describe, expect, it } from "vitest";
import { canonicalJson, checkConfirmation, confirmationToken, CONFIRMATION_TTL_MS } from "./confirmation";

const SECRET = "test-secret";
const NOW = Date.UTC(2026, 11, 1, 3);
const call = { tool: "adjust_points", keyId: "key-1", args: { customer_id: "1001", points: 100, reason: "goodwill" } };

describe("confirmation tokens for point adjustments", () => {
  it("a token confirms the very call it was issued for, until it expires", () => {
    const { token, expiresAt } = confirmationToken(SECRET, call, NOW);
    expect(expiresAt.getTime()).toBe(NOW + CONFIRMATION_TTL_MS);
    expect(checkConfirmation(SECRET, token, call, NOW + 1000)).toEqual({ ok: true });
    expect(checkConfirmation(SECRET, token, call, NOW + CONFIRMATION_TTL_MS + 1)).toEqual({
      ok: false,
      reason: "expired",
    });
  });

  it("arguments in another order sign the same", () => {
    const { token } = confirmationToken(SECRET, call, NOW);
    const reordered = { ...call, args: { reason: "goodwill", points: 100, customer_id: "1001" } };
    expect(checkConfirmation(SECRET, token, reordered, NOW)).toEqual({ ok: true });
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] })).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
  });

  it("other points, another customer, another key or another secret are refused", () => {
    const { token } = confirmationToken(SECRET, call, NOW);
    const refused = { ok: false, reason: "mismatch" };
    expect(checkConfirmation(SECRET, token, { ...call, args: { ...call.args, points: 1000 } }, NOW)).toEqual(refused);
    expect(checkConfirmation(SECRET, token, { ...call, args: { ...call.args, customer_id: "1002" } }, NOW)).toEqual(
      refused,
    );
    expect(checkConfirmation(SECRET, token, { ...call, keyId: "key-2" }, NOW)).toEqual(refused);
    expect(checkConfirmation("other", token, call, NOW)).toEqual(refused);
  });

  it("a token with a changed expiry or of another shape is refused", () => {
    const { token } = confirmationToken(SECRET, call, NOW);
    const [, sig] = token.split(".");
    expect(checkConfirmation(SECRET, `${NOW + 10 * CONFIRMATION_TTL_MS}.${sig}`, call, NOW).ok).toBe(false);
    expect(checkConfirmation(SECRET, "yes", call, NOW)).toEqual({ ok: false, reason: "malformed" });
  });
});
