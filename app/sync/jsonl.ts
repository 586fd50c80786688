/**
 * Shopify's bulk operation results are JSONL: one JSON object a line, each nested connection's objects on lines of
 * their own naming their parent in `__parentId`. These readers take the file's bytes as they arrive and hold one
 * line at a time, so a result of any size is read in constant memory.
 */

/** One object of a bulk result. */
export type JsonlRecord = { readonly [field: string]: unknown; readonly __parentId?: string };

export type JsonlErrorCode = "incomplete" | "invalid_line";

/** A result that cannot be trusted whole: applying any of it would leave the sync half done. */
export class JsonlError extends Error {
  constructor(
    readonly code: JsonlErrorCode,
    readonly detail: Record<string, number>,
    message: string,
  ) {
    super(message);
  }
}

/** The lines of a UTF-8 byte stream, each without its line break; `terminated` is false for a last line with none. */
export async function* jsonlLines(
  chunks: AsyncIterable<Uint8Array>,
): AsyncGenerator<{ text: string; terminated: boolean }> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let pending = "";
  for await (const chunk of chunks) {
    pending += decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let end = pending.indexOf("\n"); end !== -1; end = pending.indexOf("\n", start)) {
      yield { text: stripCarriageReturn(pending.slice(start, end)), terminated: true };
      start = end + 1;
    }
    pending = pending.slice(start);
  }
  pending += decoder.decode();
  if (pending.length > 0) yield { text: stripCarriageReturn(pending), terminated: false };
}

const stripCarriageReturn = (line: string) => (line.endsWith("\r") ? line.slice(0, -1) : line);

/** A line as a record, or null when it is not one JSON object (a line cut short is never one). */
export function parseJsonlLine(text: string): JsonlRecord | null {
  if (!text.startsWith("{")) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as JsonlRecord) : null;
  } catch {
    return null;
  }
}

/** The records of a result already checked by `validateJsonl`, parsed as they stream. */
export async function* jsonlRecords(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<JsonlRecord> {
  let line = 0;
  for await (const { text } of jsonlLines(chunks)) {
    line += 1;
    const record = parseJsonlLine(text);
    // The file changed between the check and now (it is downloaded again): stop rather than apply something else.
    if (!record) throw new JsonlError("invalid_line", { line }, `line ${line} of the result is not a JSON object`);
    yield record;
  }
}

/**
 * Reads a whole result once without keeping it, and throws unless every line is one complete JSON object and there
 * are as many lines as Shopify counted objects (a file cut at a line break is complete line by line, yet short).
 * Returns the number of lines.
 */
export async function validateJsonl(chunks: AsyncIterable<Uint8Array>, expectedLines: number | null): Promise<number> {
  let lines = 0;
  try {
    for await (const { text } of jsonlLines(chunks)) {
      lines += 1;
      if (!parseJsonlLine(text)) {
        throw new JsonlError(
          "invalid_line",
          { line: lines },
          `line ${lines} of the result is not a complete JSON object`,
        );
      }
    }
  } catch (error) {
    // Bytes that are not UTF-8 (a multi-byte character cut in two at the end of a truncated file).
    if (error instanceof TypeError) {
      throw new JsonlError("invalid_line", { line: lines + 1 }, `line ${lines + 1} of the result is not valid UTF-8`);
    }
    throw error;
  }
  if (expectedLines !== null && lines !== expectedLines) {
    throw new JsonlError(
      "incomplete",
      { lines, expected: expectedLines },
      `the result has ${lines} lines where Shopify counted ${expectedLines} objects`,
    );
  }
  return lines;
}

/** The numeric id at the end of a Shopify GID ("gid://shopify/Customer/123" → "123"). */
export const gidNumber = (gid: string): string => gid.slice(gid.lastIndexOf("/") + 1);

/** The resource type a GID names ("gid://shopify/Collection/5" → "Collection"). */
export function gidType(gid: unknown): string | null {
  if (typeof gid !== "string") return null;
  return /^gid:\/\/shopify\/(\w+)\//.exec(gid)?.[1] ?? null;
}
