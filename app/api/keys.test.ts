import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { formatKey, hasScope, isWellFormedKey, keyPrefix } from "./keys";

describe("API keys", () => {
  it("are tsumiki_ and 40 base62 characters, and only those are well formed", () => {
    const key = formatKey((n) => randomBytes(n));
    expect(key).toMatch(/^tsumiki_[0-9A-Za-z]{40}$/);
    expect(isWellFormedKey(key)).toBe(true);
    expect(isWellFormedKey(key.slice(0, -1))).toBe(false);
    expect(isWellFormedKey(`${key}x`)).toBe(false);
    expect(isWellFormedKey(key.replace("tsumiki_", "tsumika_"))).toBe(false);
    expect(keyPrefix(key)).toBe(key.slice(0, 16));
  });

  it("skip bytes that would make some characters likelier (248 and above)", () => {
    // Only 255s, then 0..47: the 255s are skipped, the rest map to their own character.
    let calls = 0;
    const key = formatKey((n) =>
      calls++ === 0 ? new Uint8Array(n).fill(255) : Uint8Array.from({ length: n }, (_, i) => i),
    );
    expect(key).toBe("tsumiki_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcd");
  });

  it("write implies read; read does not imply write", () => {
    expect(hasScope(["write"], "read")).toBe(true);
    expect(hasScope(["read"], "write")).toBe(false);
    expect(hasScope([], "read")).toBe(false);
  });
});
