export class UploadTooLarge extends Error {}

/**
 * Reads a request body up to `limit` bytes and stops reading beyond it, so an oversized upload is refused
 * without ever being held in memory whole.
 */
export async function readLimited(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > limit) throw new UploadTooLarge(`${declared} bytes`);
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
      throw new UploadTooLarge(`more than ${limit} bytes`);
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
  if (bytes.byteLength > limit) throw new UploadTooLarge(`${bytes.byteLength} bytes`);
  return { name: file.name, bytes };
}
