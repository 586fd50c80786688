/**
 * CSV as spreadsheets and other loyalty apps write it (RFC 4180: quoted fields, doubled quotes, CRLF, LF or CR),
 * read with csv-parse and decoded with the platform's TextDecoder (UTF-8, or Shift_JIS, which Japanese Excel still
 * writes by default). Uploads are read as streams, a row at a time (csv-stream.ts); this module holds what both
 * that reader and whole-text callers share, and the writer.
 */
import { parse as parseSync, CsvError as ParseError, type Info, type Options } from "csv-parse/sync";

export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number | null,
  ) {
    super(line === null ? message : `line ${line}: ${message}`);
  }
}

export type CsvEncoding = "utf-8" | "shift_jis";

export interface CsvRow {
  /** The line the row starts on (1-based), so a reason can name it. */
  line: number;
  fields: string[];
}

/** One row may not grow without bound: a file without line breaks is refused instead of held whole. */
export const MAX_CSV_ROW_CHARS = 1024 * 1024;

export const CSV_OPTIONS: Options = {
  bom: true,
  info: true,
  relax_column_count: true,
  skip_empty_lines: true,
  // Listed, so a file whose first row ends in CRLF may still have LF rows (and line breaks inside quotes).
  record_delimiter: ["\r\n", "\n", "\r"],
  max_record_size: MAX_CSV_ROW_CHARS,
};

/** A parser error in the merchant's words, with its line. */
export function readable(error: unknown): unknown {
  if (!(error instanceof ParseError)) return error;
  const line = typeof error.lines === "number" ? error.lines : null;
  const reasons: Record<string, string> = {
    CSV_QUOTE_NOT_CLOSED: "a quoted field is never closed",
    INVALID_OPENING_QUOTE: "a quote inside an unquoted field",
    CSV_INVALID_CLOSING_QUOTE: "text after the closing quote of a field",
    CSV_MAX_RECORD_SIZE: `a row longer than ${MAX_CSV_ROW_CHARS.toLocaleString("en")} characters`,
  };
  return new CsvError(reasons[error.code] ?? error.message, line);
}

/** csv-parse counts the line a record ends on; a quoted line break inside it moves its start back. */
export function startLine(fields: string[], endLine: number): number {
  let breaks = 0;
  for (const field of fields) {
    if (field.includes("\n") || field.includes("\r")) breaks += field.match(/\r\n|\r|\n/g)?.length ?? 0;
  }
  return endLine - breaks;
}

/** Rows of a whole text (small files: exports read back in tests); see `readCsv` for uploads. */
export function parseCsv(text: string): CsvRow[] {
  try {
    const records = parseSync(text, CSV_OPTIONS) as unknown as Array<{ record: string[]; info: Info }>;
    return records.map(({ record, info }) => ({ line: startLine(record, info.lines), fields: record }));
  } catch (error) {
    throw readable(error);
  }
}

/** How far past the first non-ASCII byte the decoder looks before deciding between UTF-8 and Shift_JIS. */
const SNIFF_BYTES = 64 * 1024;

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * Decodes a file chunk by chunk: UTF-8 (with or without a BOM) when its bytes are UTF-8, otherwise Shift_JIS.
 * ASCII reads the same in both, so the choice waits for the first non-ASCII byte and the 64 KB after it (or the
 * end of the file), and holds only those bytes meanwhile. A file that turns out not to be UTF-8 after that is
 * refused rather than read half in one encoding and half in another.
 */
export class CsvDecoder {
  encoding: CsvEncoding = "utf-8";
  private decoder: TextDecoder | null = null;
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  private firstHigh = -1;

  decode(chunk: Uint8Array): string {
    if (this.decoder) return this.run(chunk, true);
    this.held.push(chunk);
    if (this.firstHigh < 0) {
      const at = chunk.findIndex((byte) => byte >= 0x80);
      if (at >= 0) this.firstHigh = this.heldBytes + at;
    }
    this.heldBytes += chunk.byteLength;
    if (this.firstHigh < 0) return this.release();
    if (this.heldBytes - this.firstHigh < SNIFF_BYTES) return "";
    return this.choose(false);
  }

  end(): string {
    if (!this.decoder) return this.firstHigh < 0 ? this.release() : this.choose(true) + this.run(undefined, false);
    return this.run(undefined, false);
  }

  /** Held bytes that are all ASCII. */
  private release(): string {
    const text = new TextDecoder("utf-8").decode(concat(this.held, this.heldBytes));
    this.held = [];
    this.heldBytes = 0;
    return text;
  }

  private choose(final: boolean): string {
    const bytes = concat(this.held, this.heldBytes);
    this.held = [];
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(this.firstHigh), { stream: !final });
      this.encoding = "utf-8";
    } catch {
      this.encoding = "shift_jis";
    }
    this.decoder = new TextDecoder(this.encoding, { fatal: this.encoding === "utf-8" });
    return this.run(bytes, true);
  }

  private run(bytes: Uint8Array | undefined, stream: boolean): string {
    try {
      return this.decoder!.decode(bytes, { stream });
    } catch {
      throw new CsvError("the file is not UTF-8 throughout: save it again as UTF-8 or as Shift_JIS", null);
    }
  }
}

/** Decodes a whole file at once, as `CsvDecoder` does chunk by chunk. */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  const decoder = new CsvDecoder();
  const text = decoder.decode(bytes) + decoder.end();
  return { text, encoding: decoder.encoding };
}
