import { describe, expect, it } from "vitest";
import { addressKey, addressLine, identityKeysOf, phoneKey } from "./identity-keys.server";
import { signupFarming } from "./signup-farming";
import { DEFAULT_THRESHOLDS } from "./thresholds";

const FLAT = {
  zip: "150-0041",
  province: "東京都",
  city: "渋谷区",
  address1: "神南１丁目２番３号",
  address2: "メゾン神南 101",
};

describe("identity keys", () => {
  it("one key for one phone in any format, another for another phone or another secret", () => {
    const key = phoneKey("090-1234-5678", "s1");
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(phoneKey("+81 90 1234 5678", "s1")).toBe(key);
    expect(phoneKey("０９０１２３４５６７８", "s1")).toBe(key);
    expect(phoneKey("090-1234-5679", "s1")).not.toBe(key);
    expect(phoneKey("090-1234-5678", "s2")).not.toBe(key);
    expect(phoneKey("12345", "s1")).toBeNull();
    expect(phoneKey(null, "s1")).toBeNull();
  });

  it("one key for one address however written; none without its lines", () => {
    const key = addressKey(FLAT, "s1");
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(addressKey({ ...FLAT, zip: "〒1500041", address1: "神南 1-2-3", address2: "メゾン神南101" }, "s1")).toBe(
      key,
    );
    expect(addressKey({ ...FLAT, address2: "メゾン神南 102" }, "s1")).not.toBe(key);
    expect(addressKey({ ...FLAT, zip: "150-0042" }, "s1")).not.toBe(key);
    expect(addressKey({ zip: "150-0041", province: "東京都", city: "渋谷区" }, "s1")).toBeNull();
    expect(addressKey(null, "s1")).toBeNull();
    expect(addressLine(FLAT)).toBe("1500041|東京都-渋谷区-神南1-2-3-メゾン神南101");
  });

  it("a payload without the fields keeps the keys (undefined); an empty address list clears the address", () => {
    expect(identityKeysOf({})).toEqual({ phoneKey: undefined, addressKey: undefined });
    expect(identityKeysOf({ phone: null, addresses: [] })).toEqual({ phoneKey: null, addressKey: null });
    const keys = identityKeysOf({ phone: "090-1234-5678", default_address: FLAT });
    expect(keys.phoneKey).toMatch(/^[0-9a-f]{64}$/);
    expect(keys.addressKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it("the rule compares keys as they are, never normalising them again", () => {
    const t = DEFAULT_THRESHOLDS.signupFarming;
    const at = (i: number) => 1_000_000 + i * 60_000;
    // Keys that would normalise to nothing (or to one another) as phones or addresses still group verbatim.
    const members = [1, 2, 3].map((i) => ({
      memberId: `m${i}`,
      createdAt: at(i),
      phoneKey: "ab",
      addressKey: `x${i}`,
    }));
    expect(signupFarming(members, t)).toEqual([
      expect.objectContaining({
        code: expect.stringContaining("phone"),
        evidence: expect.objectContaining({ memberIds: ["m1", "m2", "m3"] }),
      }),
    ]);
    // Keys differing only in case or separators are different keys.
    const distinct = ["k-1", "K-1", "k1"].map((k, i) => ({ memberId: `m${i}`, createdAt: at(i), addressKey: k }));
    expect(signupFarming(distinct, t)).toEqual([]);
  });
});
