import { describe, expect, it } from "vitest";
import { normalizeEmail } from "./email-identity";

describe("normalizeEmail: one person, one address", () => {
  it("folds case and surrounding spaces for every provider", () => {
    expect(normalizeEmail("  Taro.Yamada@Example.CO.JP ")).toBe("taro.yamada@example.co.jp");
  });

  it("drops dots and the +tag at Gmail, and treats googlemail.com as gmail.com", () => {
    expect(normalizeEmail("Ai.Ko+points@gmail.com")).toBe("aiko@gmail.com");
    expect(normalizeEmail("a.i.k.o@googlemail.com")).toBe("aiko@gmail.com");
  });

  it("drops only the +tag where the provider documents plus addressing, keeping dots", () => {
    expect(normalizeEmail("ken.ji+shop@outlook.com")).toBe("ken.ji@outlook.com");
    expect(normalizeEmail("ken.ji+shop@icloud.com")).toBe("ken.ji@icloud.com");
  });

  it("keeps + and dots elsewhere: they can be different people's addresses", () => {
    expect(normalizeEmail("ken.ji+shop@docomo.ne.jp")).toBe("ken.ji+shop@docomo.ne.jp");
    expect(normalizeEmail("kenji+1@yahoo.co.jp")).toBe("kenji+1@yahoo.co.jp");
  });

  it("is null for what is not an address", () => {
    expect(normalizeEmail(null)).toBeNull();
    expect(normalizeEmail("")).toBeNull();
    expect(normalizeEmail("no-at-sign")).toBeNull();
    expect(normalizeEmail("@gmail.com")).toBeNull();
    expect(normalizeEmail("+tag@gmail.com")).toBeNull();
    expect(normalizeEmail("name@")).toBeNull();
  });
});
