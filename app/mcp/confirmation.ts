import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Confirmation tokens for tools that change points (pure). A write tool first answers with what it would do and a
 * token; the agent calls again with the token to apply it. The token is an HMAC over the exact arguments, the API
 * key that asked and an expiry: another key, other arguments or a late call are refused.
 */
export const CONFIRMATION_TTL_MS = 5 * 60_000;

/** JSON with object keys sorted, so the same arguments always sign the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function mac(secret: string, tool: string, keyId: string, args: unknown, expiresAt: number): Buffer {
  return createHmac("sha256", secret)
    .update(`mcp-confirm\n${tool}\n${keyId}\n${expiresAt}\n${canonicalJson(args)}`)
    .digest();
}

/** A token for this tool call by this key: `<expiry ms>.<base64url HMAC>`. */
export function confirmationToken(
  secret: string,
  call: { tool: string; keyId: string; args: unknown },
  now: number,
  ttlMs = CONFIRMATION_TTL_MS,
): { token: string; expiresAt: Date } {
  const expiresAt = now + ttlMs;
  const token = `${expiresAt}.${mac(secret, call.tool, call.keyId, call.args, expiresAt).toString("base64url")}`;
  return { token, expiresAt: new Date(expiresAt) };
}

export type ConfirmationCheck = { ok: true } | { ok: false; reason: "malformed" | "mismatch" | "expired" };

/** Whether `token` confirms exactly this call by this key, and is still in time. */
export function checkConfirmation(
  secret: string,
  token: string,
  call: { tool: string; keyId: string; args: unknown },
  now: number,
): ConfirmationCheck {
  const match = /^(\d{13})\.([\w-]{43})$/.exec(token);
  if (!match) return { ok: false, reason: "malformed" };
  const expiresAt = Number(match[1]);
  const expected = mac(secret, call.tool, call.keyId, call.args, expiresAt);
  const given = Buffer.from(match[2], "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "mismatch" };
  if (now > expiresAt) return { ok: false, reason: "expired" };
  return { ok: true };
}
