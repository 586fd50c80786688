import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  answered: number;
}

/**
 * A merchant's endpoint on 127.0.0.1: it keeps every request with its raw body and answers `status` (503 while it is
 * "down"). `close()` stops it; `url` is where to subscribe.
 */
export async function startReceiver(path = "/hooks") {
  const received: Received[] = [];
  let status = 200;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8"), answered: status });
      response.writeHead(status, { "Content-Type": "text/plain" }).end(status === 200 ? "ok" : "unavailable");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    /** What it answers from now on. */
    answer(next: number) {
      status = next;
    },
    /** The requests it accepted (answered 2xx). */
    accepted: () => received.filter((r) => r.answered >= 200 && r.answered < 300),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The README's check, as a receiver writes it with node:crypto: the signature of "<timestamp>.<raw body>". */
export function verifiesAsDocumented(received: Received, secret: string): boolean {
  const timestamp = String(received.headers["tsumiki-webhook-timestamp"]);
  const expected = "v1=" + createHmac("sha256", secret).update(`${timestamp}.${received.body}`).digest("hex");
  const given = String(received.headers["tsumiki-webhook-signature"]);
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}
