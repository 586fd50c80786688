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

/** The one file of a multipart upload, read within the limit. */
export async function uploadedFile(
  request: Request,
  field: string,
  limit: number,
): Promise<{ name: string; bytes: Uint8Array } | null> {
  // Multipart framing adds a little to the file itself.
  const body = await readLimited(request, limit + 64 * 1024);
  const form = await new Response(body, {
    headers: { "Content-Type": request.headers.get("Content-Type") ?? "" },
  }).formData();
  const file = form.get(field);
  if (!file || typeof file === "string") return null;
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (bytes.byteLength > limit) throw new BodyTooLarge(`${bytes.byteLength} bytes`);
  return { name: file.name, bytes };
}
