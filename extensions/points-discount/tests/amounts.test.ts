import { describe, expect, it } from "vitest";
import {
  convertDown,
  currencyExponent,
  formatDecimal,
  groupThousands,
  parseDecimal,
  toMinorDown,
} from "../src/amounts";

describe("exact amounts without Intl", () => {
  it("knows the exponents: yen none, dollars two, dinars three", () => {
    expect([currencyExponent("JPY"), currencyExponent("USD"), currencyExponent("KWD")]).toEqual([0, 2, 3]);
  });

  it("reads Shopify's decimals exactly and rounds down to minor units", () => {
    expect(toMinorDown(parseDecimal("10000.0")!, "JPY")).toBe(10000n);
    expect(toMinorDown(parseDecimal("19.999")!, "USD")).toBe(1999n);
    expect(parseDecimal("abc")).toBeNull();
  });

  it("converts between currencies rounding down", () => {
    expect(convertDown(500n, "JPY", parseDecimal("0.0067")!, "USD")).toBe(335n);
    expect(convertDown(500n, "USD", parseDecimal("149.99")!, "JPY")).toBe(749n);
    expect(convertDown(500n, "JPY", parseDecimal("1.0")!, "JPY")).toBe(500n);
  });

  it("writes Decimals the way Shopify reads them", () => {
    expect([formatDecimal(500n, "JPY"), formatDecimal(5n, "USD"), formatDecimal(1250n, "KWD")]).toEqual([
      "500",
      "0.05",
      "1.250",
    ]);
    expect(groupThousands(1234567)).toBe("1,234,567");
  });
});
