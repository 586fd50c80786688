import { createHmac, randomUUID } from "node:crypto";
import type { Env } from "../config.server";
import type { PrismaClient } from "../generated/prisma/client";
import { currentProgram, ensureShop } from "../shops/shops.server";

/** The shop `npm run local` installs, so the app works with no Shopify store at hand. */
export const LOCAL_SHOP = "tsumiki-demo.myshopify.com";
const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

export function localDefaults(port: string): Record<string, string> {
  return {
    SHOPIFY_API_KEY: "tsumiki-local-key",
    SHOPIFY_API_SECRET: "tsumiki-local-secret",
    SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
    SCOPES: "read_customers,write_customers,read_orders,read_products,write_discounts",
  };
}

/**
 * Local mode exists only when explicitly asked for (TSUMIKI_LOCAL=1), never in production, and only
 * bound to loopback. Called when the server starts, so a misconfigured deploy refuses to run.
 */
export function localMode(env: Env = process.env): boolean {
  if (env.TSUMIKI_LOCAL !== "1") return false;
  if (env.NODE_ENV === "production") {
    throw new Error("Tsumiki refuses to start: TSUMIKI_LOCAL=1 (local mode) is not allowed with NODE_ENV=production.");
  }
  if (env.HOST && !LOOPBACK.has(env.HOST)) {
    throw new Error(`Tsumiki refuses to start: local mode must bind to loopback, not HOST=${env.HOST}.`);
  }
  return true;
}

/** A loopback peer: 127.0.0.0/8, ::1, or 127.x as an IPv4-mapped IPv6 address. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  return address === "::1" || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/i.test(address);
}

/**
 * A request to a local-mode server from this machine, judged by the connection's address (the server puts it
 * in the load context): the Host header is the client's to write, so it proves nothing.
 */
export function isLocalRequest(context: { remoteAddress?: string }, env: Env = process.env): boolean {
  return localMode(env) && isLoopbackAddress(context.remoteAddress);
}

/** Installs the demo shop as OAuth would: an offline session, the shop (JPY, Tokyo) and its program. */
export async function installLocalShop(prisma: PrismaClient): Promise<void> {
  await prisma.session.upsert({
    where: { id: `offline_${LOCAL_SHOP}` },
    update: {},
    create: {
      id: `offline_${LOCAL_SHOP}`,
      shop: LOCAL_SHOP,
      state: "local",
      isOnline: false,
      accessToken: "local-offline-token",
      scope: localDefaults("0").SCOPES,
    },
  });
  await prisma.$transaction(async (tx) => {
    const shop = await ensureShop(tx, LOCAL_SHOP, "JPY", "Asia/Tokyo");
    await currentProgram(tx, shop);
  });
}

/**
 * A session token for the demo shop's staff, as App Bridge would hand the embedded admin, so the admin
 * pages open in a plain browser in local mode (Shopify's admin cannot be reached from here).
 */
export function localAdminToken(env: Env = process.env): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: `https://${LOCAL_SHOP}/admin`,
    dest: `https://${LOCAL_SHOP}`,
    aud: env.SHOPIFY_API_KEY,
    sub: "1",
    exp: now + 600,
    nbf: now - 5,
    iat: now - 5,
    jti: randomUUID(),
    sid: randomUUID(),
  };
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${encode({ alg: "HS256", typ: "JWT" })}.${encode(claims)}`;
  return `${unsigned}.${createHmac("sha256", env.SHOPIFY_API_SECRET ?? "")
    .update(unsigned)
    .digest("base64url")}`;
}

/** The query string the admin opens an embedded app with, for the demo shop. */
export function localAdminQuery(locale: string): URLSearchParams {
  return new URLSearchParams({
    embedded: "1",
    shop: LOCAL_SHOP,
    host: Buffer.from(`admin.shopify.com/store/${LOCAL_SHOP.replace(".myshopify.com", "")}`).toString("base64url"),
    id_token: localAdminToken(),
    locale,
  });
}

/**
 * Signs an app proxy query as Shopify does (hex HMAC-SHA256 over the sorted `key=value` pairs, joined with
 * nothing), so the local storefront preview reaches the proxy routes exactly as a storefront would.
 */
export function signedProxyQuery(
  params: Record<string, string>,
  secret: string = process.env.SHOPIFY_API_SECRET ?? "",
): URLSearchParams {
  const message = Object.keys(params)
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join("");
  const signature = createHmac("sha256", secret).update(message).digest("hex");
  return new URLSearchParams({ ...params, signature });
}

/** The demo customers the storefront preview can log in as. */
export const PREVIEW_CUSTOMERS = ["1001", "1002", "1003"];
export const PREVIEW_COOKIE = "tsumiki_preview_customer";

export function previewCustomer(request: Request): string | null {
  const cookie = request.headers.get("Cookie") ?? "";
  const value = new RegExp(`(?:^|;\\s*)${PREVIEW_COOKIE}=(\\d+)`).exec(cookie)?.[1] ?? null;
  return value && PREVIEW_CUSTOMERS.includes(value) ? value : null;
}
