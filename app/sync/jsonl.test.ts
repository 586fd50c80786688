import { describe, expect, it } from "vitest";
import { JsonlError, jsonlRecords, validateJsonl } from "./jsonl";

/** The bytes of `text` cut into chunks of `size` bytes, as a download delivers them (mid-character too). */
async function* chunks(text: string | Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

const file = '{"id":"gid://shopify/Customer/1","firstName":"花子"}\n{"id":"gid://shopify/Customer/2","tags":["VIP"]}\n';

describe("reading a bulk result line by line", () => {
  it("reads records whatever the chunk boundaries, even inside a multi-byte character", async () => {
    for (const size of [1, 2, 3, 7, 1000]) {
      const records = [];
      for await (const record of jsonlRecords(chunks(file, size))) records.push(record);
      expect(records).toEqual([
        { id: "gid://shopify/Customer/1", firstName: "花子" },
        { id: "gid://shopify/Customer/2", tags: ["VIP"] },
      ]);
      expect(await validateJsonl(chunks(file, size), 2)).toBe(2);
    }
  });

  it("accepts CRLF line ends and a complete last line without a line break", async () => {
    expect(await validateJsonl(chunks(file.replaceAll("\n", "\r\n").trimEnd(), 5), 2)).toBe(2);
  });

  it("refuses a line cut short, a cut multi-byte character, and a file shorter than Shopify counted", async () => {
    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => null,
        (error: unknown) => (error instanceof JsonlError ? { code: error.code, detail: error.detail } : error),
      );
    expect(await refusal(validateJsonl(chunks(file.slice(0, -10), 4), 2))).toEqual({
      code: "invalid_line",
      detail: { line: 2 },
    });
    const bytes = new TextEncoder().encode('{"id":"gid://shopify/Customer/1","firstName":"花');
    expect(await refusal(validateJsonl(chunks(bytes.slice(0, -1), 4), 1))).toEqual({
      code: "invalid_line",
      detail: { line: 1 },
    });
    expect(await refusal(validateJsonl(chunks(file, 8), 3))).toEqual({
      code: "incomplete",
      detail: { lines: 2, expected: 3 },
    });
    expect(await refusal(validateJsonl(chunks(`${file}[1,2]\n`, 8), 3))).toEqual({
      code: "invalid_line",
      detail: { line: 3 },
    });
  });
});
