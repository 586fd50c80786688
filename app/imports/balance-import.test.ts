import { describe, expect, it } from "vitest";
import { decideImportRow, importColumns, importCreditContent, type ImportColumns } from "./balance-import";
import { decodeCsvBytes, parseCsv } from "../shared/csv";

/** The content of every row of a file, as the importer reads it: bytes → text → rows → decisions. */
function contents(bytes: Uint8Array): string[] {
  const [header, ...body] = parseCsv(decodeCsvBytes(bytes).text);
  const columns = importColumns(header.fields) as ImportColumns;
  return body.map((row) => {
    const decision = decideImportRow(row.fields, columns);
    return importCreditContent(decision.points, decision.note);
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
