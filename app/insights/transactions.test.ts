import { describe, expect, it } from "vitest";
import { dayNumber, parseCdnow, parseCsv, summarise, TransactionsRefused } from "./transactions";

describe("transactions", () => {
  it("reads CDNOW lines and refuses a bad one by its line", () => {
    expect(parseCdnow(" 00004 0001 19970101  2   29.33\n\n 00004 0001 19970118  2   29.73\n")).toEqual([
      { customerId: "00004", date: "1997-01-01", amount: 29.33 },
      { customerId: "00004", date: "1997-01-18", amount: 29.73 },
    ]);
    expect(() => parseCdnow("00004 0001 19971301 2 10")).toThrow(/line 1: "19971301" is not a date/);
    expect(() => parseCdnow("00004 0001 19970101 2")).toThrow(TransactionsRefused);
  });

  it("reads the csv format and refuses a wrong header or amount", () => {
    expect(parseCsv("customer_id,date,amount\nA,2026-01-02,1200\n")).toEqual([
      { customerId: "A", date: "2026-01-02", amount: 1200 },
    ]);
    expect(() => parseCsv("id,date,amount\n")).toThrow(/header/);
    expect(() => parseCsv("customer_id,date,amount\nA,2026-01-02,-5\n")).toThrow(/line 2/);
  });

  it("summarises repeat purchase days after the first, in weeks, with one day's purchases as one", () => {
    const [c] = summarise(
      [
        { customerId: "A", date: "2026-01-01", amount: 10 },
        { customerId: "A", date: "2026-01-15", amount: 20 },
        { customerId: "A", date: "2026-01-15", amount: 5 },
        { customerId: "A", date: "2026-01-29", amount: 15 },
        { customerId: "A", date: "2026-02-05", amount: 99 },
      ],
      "2026-01-29",
      1,
    );
    expect(c).toEqual({ customerId: "A", x: 2, tx: 4, T: 4, mx: 20, holdoutX: 1 });
  });

  it("leaves out customers whose first purchase is after the calibration period", () => {
    expect(summarise([{ customerId: "late", date: "2026-03-01", amount: 1 }], "2026-02-28")).toEqual([]);
    expect(dayNumber("2026-02-29")).toBeNull();
    expect(() => summarise([], "soon")).toThrow(TransactionsRefused);
  });
});
