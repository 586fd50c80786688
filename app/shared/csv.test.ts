import { describe, expect, it } from "vitest";
import { decodeCsvBytes, parseCsv, type CsvRow } from "./csv";
import { csvRow } from "./csv-write";
import { readCsv } from "./csv-stream";

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

describe("readCsv: a file read as a stream", () => {
  /** The file in chunks of `size` bytes, as an upload arrives. */
  async function* chunked(bytes: Uint8Array, size: number) {
    for (let i = 0; i < bytes.byteLength; i += size) yield bytes.subarray(i, i + size);
  }
  async function read(bytes: Uint8Array, size: number) {
    const csv = readCsv(chunked(bytes, size));
    const rows: CsvRow[] = [];
    for await (const row of csv.rows) rows.push(row);
    return { rows, encoding: csv.encoding() };
  }

  it("reads the same rows whatever the chunks, a Shift_JIS character split across two of them included", async () => {
    // 山田 in Shift_JIS (8E 52 93 63) after a header, then a quoted line break.
    const sjis = new Uint8Array([
      ...new TextEncoder().encode('name,points\r\n"'),
      ...[0x8e, 0x52, 0x93, 0x63],
      ...new TextEncoder().encode('\nsan",5\r\n'),
    ]);
    for (const size of [1, 3, 1024]) {
      expect(await read(sjis, size)).toEqual({
        rows: [
          { line: 1, fields: ["name", "points"] },
          { line: 2, fields: ["山田\nsan", "5"] },
        ],
        encoding: "shift_jis",
      });
    }
  });

  it("decides the encoding at the first non-ASCII byte, however far into the file", async () => {
    const ascii = `customer_id,points,note\n${"1001,5,paper\n".repeat(20_000)}`;
    const utf8 = new TextEncoder().encode(`${ascii}1002,7,紙のカード\n`);
    const read8 = await read(utf8, 65_536);
    expect(read8.encoding).toBe("utf-8");
    expect(read8.rows.at(-1)).toEqual({ line: 20_002, fields: ["1002", "7", "紙のカード"] });
    const sjis = new Uint8Array([...new TextEncoder().encode(`${ascii}1002,7,`), 0x8e, 0x86, 0x0a]);
    const readSjis = await read(sjis, 65_536);
    expect(readSjis.encoding).toBe("shift_jis");
    expect(readSjis.rows.at(-1)?.fields).toEqual(["1002", "7", "紙"]);
  });

  it("names the line of a broken row, and refuses a file that stops being UTF-8", async () => {
    await expect(read(new TextEncoder().encode('email,points\n"a@example.com,5\n'), 4)).rejects.toThrow(/line 2/);
    const mixed = new Uint8Array([
      ...new TextEncoder().encode("note\n紙\n"),
      ...new TextEncoder().encode("x".repeat(70_000)),
      0x8e,
      0x86,
    ]);
    await expect(read(mixed, 4096)).rejects.toThrow(/not UTF-8 throughout/);
  });
});
