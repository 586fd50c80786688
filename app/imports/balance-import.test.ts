import { describe, expect, it } from "vitest";
import { decideImportRow, importCreditContent, lotExpiresAt, parseImportDate, type RowContext } from "./balance-import";
import { recogniseHeader, type ColumnMapping } from "./columns";
import { decodeCsvBytes, parseCsv } from "../shared/csv";

const TOKYO: RowContext = {
  today: "2026-11-30",
  timezone: "Asia/Tokyo",
  tiers: [
    { id: "silver", name: "Silver" },
    { id: "tier-gold", name: "ゴールド" },
  ],
};

/** The content of every row of a file, as the importer reads it: bytes → text → rows → decisions. */
function contents(bytes: Uint8Array): string[] {
  const [header, ...body] = parseCsv(decodeCsvBytes(bytes).text);
  const { mapping } = recogniseHeader(header.fields);
  return body.map((row) => {
    const decision = decideImportRow(row.fields, mapping, TOKYO);
    return importCreditContent(decision.points, decision.note, decision.lots);
  });
}

describe("importCreditContent: what counts as the same row", () => {
  it("ignores what only changes the bytes: BOM, line endings, blank lines, quoting, spaces, header language, column order", () => {
    const utf8 = (text: string) => new TextEncoder().encode(text);
    const original = contents(utf8("\ufeffcustomer_id,points,note\r\n5001,1200,Paper card\r\n5002,300,\r\n"));
    expect(contents(utf8("customer_id,points,note\n5001,1200,Paper card\n5002,300,"))).toEqual(original);
    expect(contents(utf8('note,ポイント,顧客ID\r\r"Paper card","1,200", 5001 \r\n\r\n,300.0,5002\n\n\n'))).toEqual(
      original,
    );
  });

  it("reads the same note in Shift_JIS and UTF-8 as the same content", () => {
    // 紙のカード〜 in Shift_JIS (the last byte pair decodes to U+FF5E, the UTF-8 file holds U+301C WAVE DASH).
    const sjis = new Uint8Array([
      ...[0x70, 0x6f, 0x69, 0x6e, 0x74, 0x73, 0x2c, 0x6e, 0x6f, 0x74, 0x65, 0x0d, 0x0a], // points,note\r\n
      ...[0x35, 0x2c], // 5,
      ...[0x8e, 0x86, 0x82, 0xcc, 0x83, 0x4a, 0x81, 0x5b, 0x83, 0x68, 0x81, 0x60],
    ]);
    const [header, ...body] = parseCsv(decodeCsvBytes(sjis).text);
    expect(decodeCsvBytes(sjis).encoding).toBe("shift_jis");
    expect(header.fields).toEqual(["points", "note"]);
    expect(importCreditContent(5, body[0].fields[1])).toBe(importCreditContent(5, "紙のカード\u301c"));
  });

  it("folds compatibility forms, whitespace and case in the note; an empty note is no note", () => {
    expect(importCreditContent(10, "ﾎﾟｲﾝﾄ　カード  Ａ")).toBe(importCreditContent(10, "ポイント カード a"));
    expect(importCreditContent(10, "−５ ‖ 移行—済")).toBe(importCreditContent(10, "－5 ∥ 移行―済"));
    expect(importCreditContent(10, "")).toBe(importCreditContent(10, null));
  });

  it("tells other points or another note apart", () => {
    expect(importCreditContent(10, "card")).not.toBe(importCreditContent(11, "card"));
    expect(importCreditContent(10, "card")).not.toBe(importCreditContent(10, "card 2"));
    expect(importCreditContent(10, null)).not.toBe(importCreditContent(10, "card"));
    // The separator cannot be forged by a note: "1" + "0\n…" is not "10" + "…".
    expect(importCreditContent(1, "0")).not.toBe(importCreditContent(10, ""));
  });
});

describe("decideImportRow: what a migration row credits", () => {
  const columns = [
    "customer_id",
    "email",
    "points",
    "expiring_points",
    "expiry_date",
    "expiry_lots",
    "tier",
    "history",
  ];
  const mapping: ColumnMapping = recogniseHeader(columns).mapping;
  /** A row by column name; the others empty. */
  const row = (cells: Partial<Record<(typeof columns)[number], string>>) =>
    decideImportRow(
      columns.map((name) => cells[name] ?? ""),
      mapping,
      TOKYO,
    );

  it("accepts whole positive balances and rejects everything else with a reason", () => {
    expect(row({ customer_id: "123", points: "1,200" })).toMatchObject({
      customer: "123",
      points: 1200,
      rejected: null,
    });
    expect(row({ email: "A@Example.com", points: "5" })).toMatchObject({ customer: "a@example.com", by: "email" });
    expect(row({ points: "5" }).rejected).toBe("no customer id or email");
    expect(row({ customer_id: "12a", points: "5" }).rejected).toMatch(/not a Shopify customer id/);
    expect(row({ email: "nobody", points: "5" }).rejected).toMatch(/not an email/);
    expect(row({ customer_id: "1", points: "-5" }).rejected).toMatch(/negative balance/);
    expect(row({ customer_id: "1", points: "0" }).rejected).toMatch(/nothing to import/);
    expect(row({ customer_id: "1", points: "1.5" }).rejected).toMatch(/whole number/);
    expect(row({ customer_id: "1", points: "99999999" }).rejected).toMatch(/more than/);
  });

  it("keeps each dated part as a lot of its own, soonest first, and leaves the rest to the program's expiry", () => {
    expect(row({ customer_id: "1", points: "1000", expiry_lots: "200@2027-06-30; 300 @ 2026/12/31" })).toMatchObject({
      points: 1000,
      lots: [
        { points: 300, expiresOn: "2026-12-31" },
        { points: 200, expiresOn: "2027-06-30" },
      ],
      rejected: null,
    });
    expect(
      row({ customer_id: "1", points: "1000", expiring_points: "400", expiry_date: "2027年1月31日" }),
    ).toMatchObject({
      lots: [{ points: 400, expiresOn: "2027-01-31" }],
    });
  });

  it("an expiry date without expiring points dates what the lots leave: the whole balance when there are none", () => {
    expect(row({ customer_id: "1", points: "800", expiry_date: "2027-03-31" }).lots).toEqual([
      { points: 800, expiresOn: "2027-03-31" },
    ]);
    expect(
      row({ customer_id: "1", points: "800", expiry_date: "2027-03-31", expiry_lots: "300@2026-12-31" }).lots,
    ).toEqual([
      { points: 300, expiresOn: "2026-12-31" },
      { points: 500, expiresOn: "2027-03-31" },
    ]);
  });

  it("rejects a negative lot, lots above the balance, and past or malformed dates", () => {
    expect(row({ customer_id: "1", points: "500", expiry_lots: "-50@2027-01-01" }).rejected).toBe(
      "negative expiry lot (-50 points on 2027-01-01)",
    );
    expect(row({ customer_id: "1", points: "500", expiry_lots: "300@2027-01-01;300@2027-02-01" }).rejected).toBe(
      "expiry lots add up to 600 points, more than the balance of 500",
    );
    expect(row({ customer_id: "1", points: "500", expiry_date: "2026-11-29" }).rejected).toBe(
      "expiry date 2026-11-29 is in the past",
    );
    expect(row({ customer_id: "1", points: "500", expiry_lots: "100@2025-01-01" }).rejected).toBe(
      "expiry date 2025-01-01 is in the past",
    );
    expect(row({ customer_id: "1", points: "500", expiry_date: "03/31/2027" }).rejected).toBe(
      '"03/31/2027" is not an expiry date (write YYYY-MM-DD)',
    );
    expect(row({ customer_id: "1", points: "500", expiry_date: "2027-02-30" }).rejected).toMatch(/not an expiry date/);
    expect(row({ customer_id: "1", points: "500", expiry_lots: "100 on 2027-01-01" }).rejected).toMatch(
      /is not "points@YYYY-MM-DD"/,
    );
    expect(row({ customer_id: "1", points: "500", expiring_points: "100" }).rejected).toBe(
      "100 expiring points without an expiry date",
    );
    // Today is not past: the lot expires at the end of it.
    expect(row({ customer_id: "1", points: "500", expiry_date: "2026-11-30" }).rejected).toBeNull();
  });

  it("sets a tier by its id or its name, and rejects one the program does not have", () => {
    expect(row({ customer_id: "1", points: "5", tier: "silver" }).tierId).toBe("silver");
    expect(row({ customer_id: "1", points: "5", tier: " ｺﾞｰﾙﾄﾞ " }).tierId).toBe("tier-gold");
    expect(row({ customer_id: "1", points: "5", tier: "Platinum" }).rejected).toBe(
      'unknown tier "Platinum": the program\'s tiers are Silver, ゴールド',
    );
    expect(decideImportRow(["1", "", "5", "", "", "", "Gold", ""], mapping, { ...TOKYO, tiers: [] }).rejected).toBe(
      'unknown tier "Gold": the program has no tiers',
    );
    // A tier alone is worth importing, a zero balance with it.
    expect(row({ customer_id: "1", points: "0", tier: "silver" })).toMatchObject({
      points: 0,
      tierId: "silver",
      rejected: null,
    });
  });

  it("reads history lines as information only: the balance column stays the truth", () => {
    const decision = row({
      customer_id: "1",
      points: "120",
      history: "2024-05-01 +150 Order #1001; 2024-06-10 -30 Reward\n2024-06-11 0",
    });
    expect(decision).toMatchObject({
      points: 120,
      history: [
        { date: "2024-05-01", points: 150, description: "Order #1001" },
        { date: "2024-06-10", points: -30, description: "Reward" },
        { date: "2024-06-11", points: 0, description: "" },
      ],
    });
    expect(row({ customer_id: "1", points: "5", history: "yesterday +5 review" }).rejected).toMatch(
      /history line "yesterday \+5 review" is not/,
    );
    expect(row({ customer_id: "1", points: "5", history: "2027-01-01 +5 later" }).rejected).toMatch(/in the future/);
  });

  it("a rejected row carries nothing to write", () => {
    expect(
      row({ customer_id: "1", points: "500", expiry_lots: "-50@2027-01-01", history: "2024-01-01 +5 x" }),
    ).toMatchObject({ points: 0, lots: [], history: [], tierId: null });
  });
});

describe("expiry dates and instants", () => {
  it("reads a timestamp with a zone in the shop's time zone", () => {
    expect(parseImportDate("2027-03-31T15:30:00Z", "Asia/Tokyo")).toBe("2027-04-01");
    expect(parseImportDate("2027-03-31T15:30:00Z", "America/New_York")).toBe("2027-03-31");
    expect(parseImportDate("2027-03-31 23:59", "Asia/Tokyo")).toBe("2027-03-31");
    expect(parseImportDate("31/03/2027", "Asia/Tokyo")).toBeNull();
  });

  it("a lot dated 2027-03-31 expires at the end of that day in the shop's time zone", () => {
    expect(lotExpiresAt("2027-03-31", "Asia/Tokyo").toISOString()).toBe("2027-03-31T15:00:00.000Z");
    // New York is on daylight time by then (UTC−4).
    expect(lotExpiresAt("2027-03-31", "America/New_York").toISOString()).toBe("2027-04-01T04:00:00.000Z");
  });

  it("dated parts are part of a credit's content; a row without them keeps its old content", () => {
    expect(importCreditContent(10, "card", [])).toBe("10\ncard");
    expect(importCreditContent(10, "card", [{ points: 4, expiresOn: "2027-01-01" }])).not.toBe(
      importCreditContent(10, "card", [{ points: 4, expiresOn: "2027-01-02" }]),
    );
  });
});
