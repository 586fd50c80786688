import { createHash, randomUUID } from "node:crypto";
import prisma from "../db.server";
import { deleteInBatches } from "../db/batches.server";
import { Prisma, type PrismaClient } from "../generated/prisma/client";
import type { ApiCaller } from "./keys.server";
import { problem } from "./problem";
import { apiJson, problemResponse } from "./http.server";

/** What a write answered, as stored for a retry. */
export interface Answer {
  status: number;
  body: unknown;
}

export interface IdempotentRequest {
  key: string;
  /** Method, path and body hash: the same key with another request is refused. */
  fingerprint: string;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/** The write's Idempotency-Key and fingerprint; throws 400 when the header is missing or not a key. */
export function idempotentRequest(request: Request, raw: string): IdempotentRequest {
  const key = request.headers.get("idempotency-key");
  if (!key || !KEY_PATTERN.test(key)) {
    const detail =
      "Every write needs an Idempotency-Key header: 1 to 200 printable ASCII characters, new per operation.";
    throw problemResponse(problem(400, detail));
  }
  const hash = createHash("sha256").update(raw).digest("hex");
  return { key, fingerprint: `${request.method} ${new URL(request.url).pathname} ${hash}` };
}

/** A short stable name for the key, for the capability code's own request keys (ledger, reward codes). */
export function operationKey(caller: ApiCaller, request: IdempotentRequest): string {
  return `api-${caller.key.id}-${createHash("sha256").update(request.key).digest("hex").slice(0, 32)}`;
}

function replay(status: number, body: unknown): Response {
  const headers = { "Idempotent-Replayed": "true" };
  if (status >= 400) return problemResponse(body as Parameters<typeof problemResponse>[0], headers);
  return apiJson(body, status, headers);
}

/**
 * Runs a write once per Idempotency-Key: the key is claimed before the work (a copy arriving meanwhile gets 409),
 * the answer stored with it, and a retry gets that answer again (`Idempotent-Replayed: true`) with no second effect.
 * The same key with another request is 422. A failure (thrown) or a 503 ("still being served, try again") frees the
 * key, so a retry runs again; every other answer, a refusal included, is the key's answer for good.
 */
export async function once(
  caller: ApiCaller,
  request: IdempotentRequest,
  work: () => Promise<Answer>,
): Promise<Response> {
  const apiKeyId = caller.key.id;
  const claimed = await prisma.$queryRaw<Array<{ id: string }>>`
    INSERT INTO "ApiIdempotency" (id, "apiKeyId", key, fingerprint, status, body, "createdAt")
    VALUES (${randomUUID()}, ${apiKeyId}, ${request.key}, ${request.fingerprint}, 0, '{}'::jsonb, now())
    ON CONFLICT ("apiKeyId", key) DO NOTHING
    RETURNING id`;
  if (!claimed[0]) {
    const stored = await prisma.apiIdempotency.findUniqueOrThrow({
      where: { apiKeyId_key: { apiKeyId, key: request.key } },
    });
    if (stored.fingerprint !== request.fingerprint) {
      const detail = "This Idempotency-Key was used for a different request; use a new key for a new operation.";
      return problemResponse(problem(422, detail, { errors: [{ field: "Idempotency-Key", message: detail }] }));
    }
    if (stored.status === 0) {
      return problemResponse(problem(409, "A request with this Idempotency-Key is still being served."), {
        "Retry-After": "1",
      });
    }
    return replay(stored.status, stored.body);
  }
  const id = claimed[0].id;
  let answer: Answer;
  try {
    answer = await work();
  } catch (error) {
    await prisma.apiIdempotency.delete({ where: { id } });
    throw error;
  }
  if (answer.status === 503) await prisma.apiIdempotency.delete({ where: { id } });
  else {
    await prisma.apiIdempotency.update({
      where: { id },
      data: { status: answer.status, body: answer.body as Prisma.InputJsonValue },
    });
  }
  return answer.status >= 400
    ? problemResponse(answer.body as Parameters<typeof problemResponse>[0])
    : apiJson(answer.body, answer.status);
}

/** A client retries within minutes or hours; a week covers a retry queue that waited out a long outage. */
const KEEP_ANSWERED_MS = 7 * 86_400_000;
/** A claim never answered (the process died mid-write) would answer 409 for good: after a day the key is freed. */
const KEEP_UNANSWERED_MS = 86_400_000;

/** Deletes Idempotency-Keys past their retention, a batch per statement; a key used again after that is a new write. */
export async function pruneIdempotencyKeys(db: PrismaClient, now = new Date(), batch = 5000): Promise<number> {
  const answeredBefore = new Date(now.getTime() - KEEP_ANSWERED_MS);
  const unansweredBefore = new Date(now.getTime() - KEEP_UNANSWERED_MS);
  return deleteInBatches(
    batch,
    (limit) => db.$executeRaw`
      DELETE FROM "ApiIdempotency" WHERE id IN (
        SELECT id FROM "ApiIdempotency"
        WHERE "createdAt" < ${answeredBefore} OR (status = 0 AND "createdAt" < ${unansweredBefore})
        LIMIT ${limit})`,
  );
}
