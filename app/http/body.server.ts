import { once } from "node:events";
import type { Readable } from "node:stream";
import busboy from "busboy";
import { bodyTooLargeBody } from "./body-limits";

export class BodyTooLarge extends Error {}

/** The 413 every route answers for an oversized body, with the limit so the sender knows what fits. */
export function bodyTooLargeResponse(limit: number): Response {
  return Response.json(bodyTooLargeBody(limit), { status: 413, headers: { "Cache-Control": "no-store" } });
}

/**
 * Reads a request body up to `limit` bytes: a larger declared Content-Length is refused before a byte is read,
 * and a chunked body is cancelled as soon as it passes the limit, so an oversized request is never held whole.
 */
export async function readLimited(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > limit) throw new BodyTooLarge(`${declared} bytes`);
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new BodyTooLarge(`more than ${limit} bytes`);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/**
 * A JSON body within the limit; null when it is not JSON (the caller answers 400 in its own words). An oversized
 * body throws the 413 answer, passed through `wrap` (the checkout's CORS headers) first.
 */
export async function readJsonWithin(
  request: Request,
  limit: number,
  wrap: (response: Response) => Response = (response) => response,
): Promise<unknown> {
  let bytes: Uint8Array;
  try {
    bytes = await readLimited(request, limit);
  } catch (error) {
    if (error instanceof BodyTooLarge) throw wrap(bodyTooLargeResponse(limit));
    throw error;
  }
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}

/** A multipart upload the route cannot read (not multipart, or its framing is broken). */
export class BadUpload extends Error {}

/** Multipart framing (boundaries, part headers, a few small fields) adds a little to the file itself. */
const MULTIPART_SLACK = 64 * 1024;

export interface UploadStream {
  name: string;
  /** The form's text fields sent before the file (the page sends them first). */
  fields: Record<string, string>;
  /** The file's bytes as they arrive; throws BodyTooLarge once they pass the limit. */
  chunks: AsyncIterable<Uint8Array>;
}

/**
 * Streams the one file of a multipart upload to `use` as it arrives, never holding it whole: the body is read
 * only as fast as `use` takes the bytes. A declared Content-Length over the limit is refused before a byte is read;
 * a body that passes the limit while streaming is cancelled and `use` sees BodyTooLarge. If `use` stops early (it
 * has read what it needs, or refused the file), the rest of the body is read and dropped, up to the limit, so the
 * answer can still be sent. Null when the form has no such file.
 */
export async function withUploadedFile<T>(
  request: Request,
  field: string,
  limit: number,
  use: (file: UploadStream) => Promise<T>,
): Promise<T | null> {
  const bodyLimit = limit + MULTIPART_SLACK;
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > bodyLimit) throw new BodyTooLarge(`${declared} bytes`);
  const contentType = request.headers.get("Content-Type") ?? "";
  if (!request.body || !/^multipart\/form-data/i.test(contentType)) throw new BadUpload("not a multipart upload");
  let parser: ReturnType<typeof busboy>;
  try {
    parser = busboy({
      headers: { "content-type": contentType },
      limits: { files: 1, fileSize: limit, fields: 20, fieldSize: 64 * 1024 },
    });
  } catch {
    throw new BadUpload("not a multipart upload");
  }
  const fields: Record<string, string> = {};
  let used: Promise<T> | null = null;
  let file: Readable | null = null;
  parser.on("field", (name, value) => {
    fields[name] = value;
  });
  parser.on("file", (name, stream, info) => {
    if (name !== field || used) {
      stream.resume();
      return;
    }
    file = stream;
    let overLimit = false;
    stream.on("limit", () => {
      overLimit = true;
    });
    async function* chunks() {
      // Not destroyed when `use` stops early: the rest is drained below, or the parser would wait for it forever.
      for await (const chunk of stream.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
        if (overLimit) break;
        yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      }
      if (overLimit) throw new BodyTooLarge(`more than ${limit} bytes`);
    }
    used = use({ name: info.filename ?? "", fields: { ...fields }, chunks: chunks() }).finally(() => {
      if (!stream.destroyed) stream.resume();
    });
    // Awaited below; until then a rejection must not count as unhandled.
    used.catch(() => undefined);
  });
  const parsed = new Promise<void>((resolve, reject) => {
    parser.on("close", resolve);
    parser.on("error", reject);
  });
  parsed.catch(() => undefined);
  const reader = request.body.getReader();
  try {
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > bodyLimit) {
        await reader.cancel();
        throw new BodyTooLarge(`more than ${bodyLimit} bytes`);
      }
      if (!parser.write(value)) await once(parser, "drain");
    }
    parser.end();
    await parsed;
  } catch (error) {
    const failure = error instanceof BodyTooLarge ? error : new BadUpload("the upload's multipart framing is broken");
    (file as Readable | null)?.destroy(failure);
    parser.destroy();
    if (used) await (used as Promise<T>).catch(() => undefined);
    throw failure;
  }
  return used ? await used : null;
}
