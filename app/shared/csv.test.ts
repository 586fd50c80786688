import { describe, expect, it } from "vitest";
import { decideImportRow, importColumns } from "../imports/balance-import";
import { csvRow, decodeCsvBytes, parseCsv } from "./csv";

describe("parseCsv", () => {
  it("reads quoted fields, doubled quotes, CRLF and a BOM, naming each row's line", () => {
    const rows = parseCsv(
      '\ufeffemail,points,note\r\na@example.com,100,"Paper card, blue"\r\n"b@x.jp",5,"said ""hi""\nthen left"\n\n',
    );
    expect(rows).toEqual([
      { line: 1, fields: ["email", "points", "note"] },
      { line: 2, fields: ["a@example.com", "100", "Paper card, blue"] },
      { line: 3, fields: ["b@x.jp", "5", 'said "hi"\nthen left'] },
    ]);
  });
  it("names the line of a quote never closed", () => {
    expect(() => parseCsv('email,points\n"a@example.com,5\n')).toThrow(/line 2/);
  });
  it("writes what it reads, and neutralises formulas", () => {
    const written = csvRow(["a,b", 'q"q', 12, null, "=SUM(A1)"]);
    expect(written).toBe('"a,b","q""q",12,,\'=SUM(A1)\r\n');
    expect(parseCsv(written)[0].fields).toEqual(["a,b", 'q"q', "12", "", "'=SUM(A1)"]);
  });
});

describe("decodeCsvBytes", () => {
  it("reads UTF-8, and Shift_JIS when the bytes are not UTF-8", () => {
    expect(decodeCsvBytes(new TextEncoder().encode("山田,100"))).toEqual({ text: "山田,100", encoding: "utf-8" });
    // 山田 in Shift_JIS: 8E 52 93 63
    const sjis = new Uint8Array([0x8e, 0x52, 0x93, 0x63, 0x2c, 0x31]);
    expect(decodeCsvBytes(sjis)).toEqual({ text: "山田,1", encoding: "shift_jis" });
  });
});

describe("balance import rules", () => {
  it("finds columns by English or Japanese headers and reports the ones it ignores", () => {
    expect(importColumns(["顧客ID", "氏名", "ポイント残高"])).toEqual({
      customerId: 0,
      email: null,
      points: 2,
      note: null,
      ignored: ["氏名"],
    });
  });
  it("names a missing column", () => {
    expect(importColumns(["email", "amount"])).toEqual({ error: expect.stringContaining("no points column") });
    expect(importColumns(["name", "points"])).toEqual({ error: expect.stringContaining("no customer column") });
  });
  it("accepts whole positive balances and rejects everything else with a reason", () => {
    const columns = importColumns(["customer_id", "email", "points"]);
    if ("error" in columns) throw new Error(columns.error);
    expect(decideImportRow(["123", "", "1,200"], columns)).toMatchObject({
      customer: "123",
      points: 1200,
      rejected: null,
    });
    expect(decideImportRow(["", "A@Example.com", "5"], columns)).toMatchObject({
      customer: "a@example.com",
      by: "email",
    });
    expect(decideImportRow(["", "", "5"], columns).rejected).toBe("no customer id or email");
    expect(decideImportRow(["12a", "", "5"], columns).rejected).toMatch(/not a Shopify customer id/);
    expect(decideImportRow(["", "nobody", "5"], columns).rejected).toMatch(/not an email/);
    expect(decideImportRow(["1", "", "-5"], columns).rejected).toMatch(/negative balance/);
    expect(decideImportRow(["1", "", "0"], columns).rejected).toMatch(/nothing to import/);
    expect(decideImportRow(["1", "", "1.5"], columns).rejected).toMatch(/whole number/);
    expect(decideImportRow(["1", "", "99999999"], columns).rejected).toMatch(/more than/);
  });
});
