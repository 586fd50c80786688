/**
 * Whether an error means the database cannot be reached at all (as opposed to a query that failed on a database that
 * answered). Only these become 503 "try again later": a Shopify webhook answered 503 is retried, a shopper is told
 * points are temporarily unavailable. Every other error stays a 500, so real bugs are not hidden behind "retry".
 *
 * Recognised, wherever they sit in the error's chain (`cause`, Prisma's `meta.driverAdapterError`):
 * - Prisma: PrismaClientInitializationError; P1001 (can't reach the server), P1002 (server timed out), P1008 (socket
 *   timeout), P1017 (server closed the connection); driver-adapter kinds DatabaseNotReachable, ConnectionClosed,
 *   SocketTimeout (what a raw query's P2010 carries).
 * - PostgreSQL SQLSTATE class 08 (connection exception) and 57P01–57P03 (the server is shutting down, crashed, or
 *   is not accepting connections yet).
 * - Node's socket errors from the pg driver (ECONNREFUSED, ECONNRESET, ENOTFOUND, ETIMEDOUT, EHOSTUNREACH, EPIPE) and
 *   its "Connection terminated" messages; PGlite's "PGlite is closed" / "PGlite is closing".
 */
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017"]);
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout"]);
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "ETIMEDOUT", "EHOSTUNREACH", "EPIPE"]);
const SERVER_GONE = /^(08[0-9A-Z]{3}|57P0[123])$/;
const MESSAGES = [
  /^PGlite is clos(ed|ing)$/,
  /^Connection terminated( unexpectedly)?$/,
  /^Client has encountered a connection error and is not queryable$/,
];

type Fields = { name?: unknown; code?: unknown; originalCode?: unknown; kind?: unknown; message?: unknown };

function gone(node: Fields): boolean {
  if (node.name === "PrismaClientInitializationError") return true;
  if (typeof node.kind === "string" && ADAPTER_KINDS.has(node.kind)) return true;
  for (const code of [node.code, node.originalCode]) {
    if (typeof code !== "string") continue;
    if (PRISMA_CODES.has(code) || SOCKET_CODES.has(code)) return true;
    // SQLSTATEs only where they are one: a driver error of kind "postgres", or a pg error with a severity.
    if (SERVER_GONE.test(code) && (node.kind === "postgres" || "severity" in node)) return true;
  }
  return typeof node.message === "string" && MESSAGES.some((pattern) => pattern.test(node.message as string));
}

export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const node = queue.shift();
    if (!node || typeof node !== "object" || seen.has(node)) continue;
    seen.add(node);
    if (gone(node as Fields)) return true;
    const { cause, meta } = node as { cause?: unknown; meta?: { driverAdapterError?: unknown } };
    queue.push(cause, meta?.driverAdapterError);
  }
  return false;
}

/** Seconds a caller should wait before trying again: Shopify's first webhook retry comes later anyway. */
export const RETRY_AFTER_SECONDS = 60;

/** The answer when the database cannot be reached: 503, a JSON reason, and when to try again. */
export function unavailableResponse(headers: Record<string, string> = {}): Response {
  return Response.json(
    { error: "Points are temporarily unavailable; try again in a minute.", code: "unavailable" },
    { status: 503, headers: { "Retry-After": String(RETRY_AFTER_SECONDS), "Cache-Control": "no-store", ...headers } },
  );
}

/**
 * Runs a route's work and answers 503 instead of failing when the database cannot be reached; any other error, and
 * any thrown Response (a 400 from a signature check), goes on as before.
 */
export async function orUnavailable(work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (error) {
    if (isDatabaseUnavailable(error)) return unavailableResponse({ "Cache-Control": "private, no-store" });
    throw error;
  }
}
