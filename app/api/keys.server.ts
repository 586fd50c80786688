import { createHash, randomBytes } from "node:crypto";
import type { ApiKey, Shop } from "../generated/prisma/client";
import type { Tx } from "../db/transaction.server";
import prisma from "../db.server";
import { type ApiScope, formatKey, hasScope, isWellFormedKey, keyPrefix } from "./keys";
import { problem, type Problem } from "./problem";

export const hashKey = (key: string) => createHash("sha256").update(key).digest("hex");

/**
 * Creates a key for the shop and returns it in full: the only time it exists outside the caller (stored hashed).
 * Audited with the staff member.
 */
export async function createApiKey(
  tx: Tx,
  shopId: string,
  input: { name: string; scopes: ApiScope[]; rateLimitPerMinute?: number; createdBy: string },
): Promise<{ key: string; record: ApiKey }> {
  const key = formatKey((n) => randomBytes(n));
  const record = await tx.apiKey.create({
    data: {
      shopId,
      name: input.name,
      prefix: keyPrefix(key),
      hash: hashKey(key),
      scopes: input.scopes,
      ...(input.rateLimitPerMinute ? { rateLimitPerMinute: input.rateLimitPerMinute } : {}),
      createdBy: input.createdBy,
    },
  });
  await tx.auditLog.create({
    data: {
      shopId,
      actor: input.createdBy,
      action: "api_key.created",
      subject: `api key ${record.prefix}`,
      after: { name: input.name, scopes: input.scopes },
    },
  });
  return { key, record };
}

/** Revokes a key of this shop (another shop's key id is not found); revoking twice changes nothing. */
export async function revokeApiKey(tx: Tx, shopId: string, id: string, actor: string): Promise<ApiKey | null> {
  const key = await tx.apiKey.findFirst({ where: { id, shopId } });
  if (!key) return null;
  if (key.revokedAt) return key;
  const revoked = await tx.apiKey.update({ where: { id }, data: { revokedAt: new Date(), revokedBy: actor } });
  await tx.auditLog.create({
    data: { shopId, actor, action: "api_key.revoked", subject: `api key ${key.prefix}`, before: { name: key.name } },
  });
  return revoked;
}

export interface ApiCaller {
  key: ApiKey;
  shop: Shop;
  /** As the ledger and the audit log name an API caller: `api:<prefix>`. */
  actor: string;
}

/**
 * The caller of an API request: `Authorization: Bearer <key>` (or `X-Api-Key`), a live key of an installed shop,
 * with the scope needed. Otherwise the problem to answer: 401 for a missing, unknown or revoked key, 403 for a key
 * without the scope.
 */
export async function authenticateApiKey(
  request: Request,
  needed: ApiScope,
): Promise<{ caller: ApiCaller } | { problem: Problem }> {
  const header = request.headers.get("authorization") ?? "";
  const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  const presented = bearer ?? request.headers.get("x-api-key") ?? "";
  if (!presented) return { problem: problem(401, "Send the API key as Authorization: Bearer <key>.") };
  if (!isWellFormedKey(presented)) return { problem: problem(401, "The API key is not valid.") };
  const key = await prisma.apiKey.findUnique({ where: { hash: hashKey(presented) }, include: { shop: true } });
  if (!key || key.revokedAt || key.shop.uninstalledAt) {
    return { problem: problem(401, key?.revokedAt ? "The API key was revoked." : "The API key is not valid.") };
  }
  if (!hasScope(key.scopes, needed)) {
    return { problem: problem(403, `This needs the "${needed}" scope; the key has: ${key.scopes.join(", ")}.`) };
  }
  const { shop, ...record } = key;
  // Last use, at most once a minute per key: a read-heavy integration must not turn every read into a write.
  if (!record.lastUsedAt || Date.now() - record.lastUsedAt.getTime() > 60_000) {
    await prisma.apiKey.update({ where: { id: record.id }, data: { lastUsedAt: new Date() } });
  }
  return { caller: { key: record, shop, actor: `api:${record.prefix}` } };
}

/** A shop's keys as the admin page lists them, newest first: never the key or its hash. */
export async function listApiKeys(shopId: string) {
  const keys = await prisma.apiKey.findMany({ where: { shopId }, orderBy: { createdAt: "desc" }, take: 200 });
  return keys.map((key) => ({
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes,
    rateLimitPerMinute: key.rateLimitPerMinute,
    createdAt: key.createdAt.toISOString(),
    createdBy: key.createdBy,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  }));
}
