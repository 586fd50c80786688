/**
 * Reading an uploaded CSV file as a stream: bytes in as they arrive, rows out one at a time, so a file of any
 * size is read in constant memory (csv-parse's streaming parser behind the decoder of csv.ts).
 */
import { Readable, pipeline } from "node:stream";
import { parse, type Info } from "csv-parse";
import { CSV_OPTIONS, CsvDecoder, readable, startLine, type CsvEncoding, type CsvRow } from "./csv";

/**
 * Reads a CSV file from its bytes as they arrive: decoded, parsed and handed over a row at a time, with
 * backpressure (the next bytes are read only when the rows before them have been taken). `encoding()` is final
 * once a row with a non-ASCII character (or the end) has been read. Stopping early releases the source.
 */
export function readCsv(source: AsyncIterable<Uint8Array>): {
  rows: AsyncIterable<CsvRow>;
  encoding: () => CsvEncoding;
} {
  const decoder = new CsvDecoder();
  async function* text() {
    for await (const chunk of source) {
      const decoded = decoder.decode(chunk);
      if (decoded) yield decoded;
    }
    const rest = decoder.end();
    if (rest) yield rest;
  }
  async function* rows(): AsyncGenerator<CsvRow> {
    // Errors of the source or the decoder end the pipeline and surface from the parser the rows are read from.
    const parser = pipeline(Readable.from(text()), parse(CSV_OPTIONS), () => undefined);
    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: Info }>) {
        yield { line: startLine(record, info.lines), fields: record };
      }
    } catch (error) {
      throw readable(error);
    } finally {
      parser.destroy();
    }
  }
  return { rows: rows(), encoding: () => decoder.encoding };
}
