import { describe, expect, it } from "vitest";
import { emailStem, normalizeAddress, normalizePhone } from "./identity";

describe("pattern keys for new accounts", () => {
  it("Gmail dots and +tags, and numbered suffixes, share a stem", () => {
    expect(emailStem("hanako.sato+1@gmail.com")).toBe("hanakosato@gmail.com");
    expect(emailStem("h.a.n.a.k.o.s.a.t.o@googlemail.com")).toBe("hanakosato@gmail.com");
    expect(emailStem("hanako_sato01@yahoo.co.jp")).toBe("hanakosato@yahoo.co.jp");
    expect(emailStem("hanako_sato02@yahoo.co.jp")).toBe("hanakosato@yahoo.co.jp");
    expect(emailStem("ai1@example.jp")).toBeNull();
  });

  it("Japanese phone formats are one number", () => {
    const n = "09012345678";
    expect(normalizePhone("090-1234-5678")).toBe(n);
    expect(normalizePhone("+81 90-1234-5678")).toBe(n);
    expect(normalizePhone("+81 (0)90 1234 5678")).toBe(n);
    expect(normalizePhone("0081-90-1234-5678")).toBe(n);
    expect(normalizePhone("819012345678")).toBe(n);
    expect(normalizePhone("０９０（１２３４）５６７８")).toBe(n);
    expect(normalizePhone("03-1234-5678")).toBe("0312345678");
    expect(normalizePhone("1234")).toBeNull();
  });

  it("address formats are one address", () => {
    const a = normalizeAddress("〒150-0041 東京都渋谷区神南１丁目２番３号");
    expect(normalizeAddress("150-0041 東京都渋谷区神南 1-2-3")).toBe(a);
    expect(normalizeAddress("１５０ー００４１　東京都渋谷区神南1−2−3")).toBe(a);
    expect(normalizeAddress("150-0041 東京都渋谷区神南 1-2-4")).not.toBe(a);
  });
});
