/**
 * API keys: what a key looks like and what it may do (pure). A key is `tsumiki_` and 40 base62 characters (about
 * 238 bits); only its SHA-256 is stored, and its first 16 characters (the prefix) name it in lists.
 */
export const API_SCOPES = ["read", "write"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const KEY_PREFIX = "tsumiki_";
const KEY_PATTERN = /^tsumiki_[0-9A-Za-z]{40}$/;
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A new key from 40 random bytes (each byte taken modulo 62 only below 248, so every character is equally likely). */
export function formatKey(random: (n: number) => Uint8Array): string {
  let out = KEY_PREFIX;
  while (out.length < KEY_PREFIX.length + 40) {
    for (const byte of random(48)) {
      if (byte < 248 && out.length < KEY_PREFIX.length + 40) out += BASE62[byte % 62];
    }
  }
  return out;
}

export function isWellFormedKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}

/** What lists show of a key. */
export function keyPrefix(key: string): string {
  return key.slice(0, 16);
}

export function isScope(value: unknown): value is ApiScope {
  return typeof value === "string" && (API_SCOPES as readonly string[]).includes(value);
}

/** Write implies read: a key made for writing can read what it writes. */
export function hasScope(scopes: readonly string[], needed: ApiScope): boolean {
  return scopes.includes(needed) || (needed === "read" && scopes.includes("write"));
}
