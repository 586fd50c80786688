import { describe, expect, it } from "vitest";
import { allowedNumbers, checkNumbers, extractNumbers, kanjiValue } from "./number-check";

const values = (text: string) => extractNumbers(text).map((found) => found.value);

describe("numbers in a text", () => {
  it("reads ASCII and full-width digits, thousands separators, decimals, percentages and currency signs", () => {
    expect(values("¥12,345 and $1,234.56, up 12.5%")).toEqual([12345, 1234.56, 12.5]);
    expect(values("売上は￥１２，３４５（１２．５％増）")).toEqual([12345, 12.5]);
    expect(values("12,345円")).toEqual([12345]);
  });

  it("keeps a list of small numbers apart from a thousands separator", () => {
    expect(values("1,2,3")).toEqual([1, 2, 3]);
  });

  it("reads Japanese and English large units, compounded as written", () => {
    expect(values("1.2万人")).toEqual([12000]);
    expect(values("1億2,000万円")).toEqual([120_000_000]);
    expect(values("1万2345ポイント")).toEqual([12345]);
    expect(values("3千円")).toEqual([3000]);
    expect(values("1.5 million points and 12k members")).toEqual([1_500_000, 12_000]);
  });

  it("reads kanji numerals before a counter, and leaves kanji words alone", () => {
    expect(kanjiValue("二十五")).toBe(25);
    expect(kanjiValue("一万二千")).toBe(12000);
    expect(values("会員が三人増え、二十五件の注文")).toEqual([3, 25]);
    expect(values("一部の会員は十分に活発です")).toEqual([]);
  });

  it("reads English number words from two to twenty, but not the pronoun one", () => {
    expect(values("Five members left; no one joined")).toEqual([5]);
  });

  it("splits a hyphenated period into its year and month", () => {
    expect(values("2026-11")).toEqual([2026, 11]);
  });
});

describe("checking a text against the figures", () => {
  const allowed = allowedNumbers(["2026年11月：新規会員 1,234人、売上 ￥56,789（前月比 12.5% 増）", "November 2026"]);

  it("passes a rewrite that keeps every number, in any notation", () => {
    expect(checkNumbers("In November 2026, 1,234 members joined; sales were ¥56,789, 12.5% more.", allowed)).toEqual({
      ok: true,
    });
    expect(checkNumbers("２０２６年１１月は１２３４人が入会。売上５万６７８９円", allowed)).toEqual({ ok: true });
  });

  it("passes a rewrite that drops a number", () => {
    expect(checkNumbers("Sales grew by 12.5%.", allowed)).toEqual({ ok: true });
  });

  it("rejects a changed number, naming it", () => {
    const result = checkNumbers("1,235 members joined in November 2026.", allowed);
    expect(result).toEqual({ ok: false, rejection: { code: "number", number: "1,235" } });
  });

  it("rejects a rounded figure: 5.7万 is not ¥56,789", () => {
    expect(checkNumbers("売上は約5.7万円", allowed)).toEqual({
      ok: false,
      rejection: { code: "number", number: "5.7万" },
    });
  });

  it("rejects a number spelled out that the figures do not have", () => {
    expect(checkNumbers("会員が三人増えました", allowed)).toEqual({
      ok: false,
      rejection: { code: "number", number: "三" },
    });
    expect(checkNumbers("Seven members joined", allowed)).toEqual({
      ok: false,
      rejection: { code: "number", number: "Seven" },
    });
  });

  it("rejects an empty answer", () => {
    expect(checkNumbers("  ", allowed)).toEqual({ ok: false, rejection: { code: "noText" } });
  });
});
