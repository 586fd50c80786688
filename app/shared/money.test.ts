import { describe, expect, it } from "vitest";
import { currencyExponent, formatMoney, majorUnit, MoneyError, parseMoney, toDecimal } from "./money";

describe("money in minor units", () => {
  it("knows each currency's real exponent: yen has none, dollars two, dinars three", () => {
    expect([currencyExponent("JPY"), currencyExponent("USD"), currencyExponent("KWD")]).toEqual([0, 2, 3]);
    expect([majorUnit("JPY"), majorUnit("USD")]).toEqual([1, 100]);
  });

  it("reads ¥5,400 as 5400 yen however Shopify writes it", () => {
    expect(parseMoney("5400", "JPY")).toBe(5400);
    expect(parseMoney("5400.00", "JPY")).toBe(5400);
    expect(parseMoney(5400, "JPY")).toBe(5400);
  });

  it("reads $54.99 as 5499 cents, and 0.1 + 0.2 style floats exactly", () => {
    expect(parseMoney("54.99", "USD")).toBe(5499);
    expect(parseMoney(54.99, "USD")).toBe(5499);
    expect(parseMoney("0.3", "USD")).toBe(30);
    expect(parseMoney("-1.50", "USD")).toBe(-150);
  });

  it("rounds digits beyond the exponent half away from zero", () => {
    expect(parseMoney("10.5", "JPY")).toBe(11);
    expect(parseMoney("10.49", "JPY")).toBe(10);
    expect(parseMoney("1.005", "USD")).toBe(101);
  });

  it("refuses what is not an amount or not a currency", () => {
    expect(() => parseMoney("five", "JPY")).toThrow(MoneyError);
    expect(() => parseMoney("1e5", "JPY")).toThrow(MoneyError);
    expect(() => parseMoney("1", "XXZ")).toThrow(/ISO 4217/);
    expect(() => parseMoney("99999999999999999999", "JPY")).toThrow(/too large/);
  });

  it("formats for people in their language", () => {
    expect(formatMoney({ minor: 5400, currency: "JPY" }, "ja-JP")).toBe("￥5,400");
    expect(formatMoney({ minor: 5499, currency: "USD" }, "en-US")).toBe("$54.99");
  });
});

describe("toDecimal", () => {
  it("writes minor units with the currency's real exponent", () => {
    expect(toDecimal({ minor: 5400, currency: "JPY" })).toBe("5400");
    expect(toDecimal({ minor: 1234, currency: "USD" })).toBe("12.34");
    expect(toDecimal({ minor: 5, currency: "USD" })).toBe("0.05");
    expect(toDecimal({ minor: 1005, currency: "KWD" })).toBe("1.005");
    expect(toDecimal({ minor: -250, currency: "EUR" })).toBe("-2.50");
  });
  it("round-trips through parseMoney", () => {
    for (const minor of [0, 1, 99, 100, 123456789]) {
      expect(parseMoney(toDecimal({ minor, currency: "USD" }), "USD")).toBe(minor);
    }
  });
});
