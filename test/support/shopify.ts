import { createHmac, randomUUID } from "node:crypto";

const secret = () => process.env.SHOPIFY_API_SECRET ?? "";
const appUrl = () => process.env.SHOPIFY_APP_URL ?? "http://127.0.0.1:3000";
export const API_VERSION = "2026-07";
export const SHOP = "tsumiki-test.myshopify.com";
export const OTHER_SHOP = "other-test.myshopify.com";
export const BROWSER_USER_AGENT =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

export interface WebhookOptions {
  shop?: string;
  webhookId?: string;
  eventId?: string;
  secret?: string;
  /** Send these bytes instead of the JSON of the payload (for malformed bodies). */
  rawBody?: string;
  omitHeaders?: string[];
  method?: string;
  baseUrl?: string;
}

/** A webhook exactly as Shopify sends it: HMAC-SHA256 of the raw body, base64, and the X-Shopify headers. */
export function webhookRequest(topic: string, payload: unknown, options: WebhookOptions = {}): Request {
  const body = options.rawBody ?? JSON.stringify(payload);
  const headers = new Headers({
    "Content-Type": "application/json",
    "X-Shopify-Topic": topic,
    "X-Shopify-Shop-Domain": options.shop ?? SHOP,
    "X-Shopify-API-Version": API_VERSION,
    "X-Shopify-Webhook-Id": options.webhookId ?? randomUUID(),
    "X-Shopify-Event-Id": options.eventId ?? randomUUID(),
    "X-Shopify-Triggered-At": new Date().toISOString(),
    "X-Shopify-Hmac-Sha256": createHmac("sha256", options.secret ?? secret())
      .update(body, "utf8")
      .digest("base64"),
  });
  for (const name of options.omitHeaders ?? []) headers.delete(name);
  const method = options.method ?? "POST";
  return new Request(`${options.baseUrl ?? appUrl()}/webhooks/${topic}`, {
    method,
    headers,
    body: method === "GET" || method === "HEAD" ? undefined : body,
  });
}

export interface ProxyOptions {
  shop?: string;
  customerId?: string | null;
  timestamp?: number;
  secret?: string;
  extra?: Record<string, string>;
  baseUrl?: string;
  /** A POST carries a JSON body; Shopify signs only the query. */
  method?: "GET" | "POST";
  body?: unknown;
}

/**
 * An app proxy request as Shopify forwards it: signature = hex HMAC-SHA256 over the sorted `key=value`
 * pairs of every other query parameter, concatenated without separators.
 */
export function proxyRequest(path: string, options: ProxyOptions = {}): Request {
  const params: Record<string, string> = {
    shop: options.shop ?? SHOP,
    logged_in_customer_id: options.customerId ?? "",
    path_prefix: "/apps/tsumiki",
    timestamp: String(options.timestamp ?? Math.floor(Date.now() / 1000)),
    ...options.extra,
    // The storefront's own query is forwarded and signed with the rest.
    ...Object.fromEntries(new URLSearchParams(path.split("?")[1] ?? "")),
  };
  const message = Object.keys(params)
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join("");
  const signature = createHmac("sha256", options.secret ?? secret())
    .update(message)
    .digest("hex");
  const query = new URLSearchParams({ ...params, signature });
  const url = `${options.baseUrl ?? appUrl()}/proxy/${path.split("?")[0]}?${query.toString()}`;
  if (options.method !== "POST") return new Request(url);
  return new Request(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: typeof options.body === "string" ? options.body : JSON.stringify(options.body),
  });
}

/** An HS256 JWT under the app secret, as Shopify signs session tokens. */
function signJwt(claims: Record<string, unknown>, key = secret()): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${encode({ alg: "HS256", typ: "JWT" })}.${encode(claims)}`;
  return `${unsigned}.${createHmac("sha256", key).update(unsigned).digest("base64url")}`;
}

export interface SessionTokenOptions {
  shop?: string;
  /** Numeric customer id; omitted for a guest checkout. */
  customerId?: string | null;
  secret?: string;
  aud?: string;
  /** Seconds from now until the token expires (negative: already expired). Checkout tokens live 5 minutes. */
  expiresIn?: number;
}

/** A checkout extension's session token as Shopify issues it: HS256 JWT under the app's API secret. */
export function sessionToken(options: SessionTokenOptions = {}): string {
  const shop = options.shop ?? SHOP;
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    iss: `https://${shop}`,
    dest: `https://${shop}`,
    aud: options.aud ?? process.env.SHOPIFY_API_KEY,
    exp: now + (options.expiresIn ?? 300),
    nbf: now - 5,
    iat: now - 5,
    jti: randomUUID(),
  };
  if (options.customerId) claims.sub = `gid://shopify/Customer/${options.customerId}`;
  return signJwt(claims, options.secret);
}

/** A request from the checkout UI extension to the app, with its session token. */
export function checkoutRequest(
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
  baseUrl?: string,
): Request {
  // The checkout extension runs in the shopper's browser (a web worker): a browser's User-Agent, never a bot's.
  const headers = new Headers({
    Origin: "https://extensions.shopifycdn.com",
    "Content-Type": "application/json",
    "User-Agent": BROWSER_USER_AGENT,
  });
  if (token) headers.set("Authorization", `Bearer ${token}`);
  return new Request(`${baseUrl ?? appUrl()}/${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** A request from the embedded admin (App Bridge fetch): a one-minute session token for a staff member. */
/** An embedded admin upload: multipart form data under a session token. */
export function adminUpload(path: string, form: FormData, shop = SHOP, staffId = "42"): Request {
  const authorization = adminRequest("GET", path, undefined, shop, staffId).headers.get("Authorization")!;
  return new Request(`${appUrl()}${path}`, { method: "POST", headers: { Authorization: authorization }, body: form });
}

export function adminRequest(method: string, path: string, body?: unknown, shop = SHOP, staffId = "42"): Request {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: `https://${shop}/admin`,
    dest: `https://${shop}`,
    aud: process.env.SHOPIFY_API_KEY,
    sub: staffId,
    exp: now + 60,
    nbf: now - 5,
    iat: now - 5,
    jti: randomUUID(),
    sid: randomUUID(),
  };
  const token = signJwt(claims);
  return new Request(`${appUrl()}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/**
 * The URL Shopify's admin opens an embedded app page with: embedded=1, the shop, the base64 host, the admin's locale
 * and a fresh id_token (HS256 under the app secret) for a staff member.
 */
export function adminDocumentUrl(
  path: string,
  options: {
    shop?: string;
    locale?: string;
    secret?: string;
    apiKey?: string;
    baseUrl?: string;
    staffId?: string;
  } = {},
): string {
  const shop = options.shop ?? SHOP;
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: `https://${shop}/admin`,
    dest: `https://${shop}`,
    aud: options.apiKey ?? process.env.SHOPIFY_API_KEY,
    sub: options.staffId ?? "42",
    exp: now + 60,
    nbf: now - 5,
    iat: now - 5,
    jti: randomUUID(),
    sid: randomUUID(),
  };
  const query = new URLSearchParams({
    embedded: "1",
    shop,
    host: Buffer.from(`admin.shopify.com/store/${shop.replace(".myshopify.com", "")}`).toString("base64url"),
    id_token: signJwt(claims, options.secret),
    locale: options.locale ?? "en",
  });
  return `${options.baseUrl ?? appUrl()}${path}?${query}`;
}

/**
 * A customer account extension's session token as Shopify issues it: HS256 JWT under the app's API secret, `sub` the
 * customer's GID (a customer account is always a logged-in customer), `dest` the shop.
 */
export function customerAccountToken(options: SessionTokenOptions = {}): string {
  return sessionToken({ ...options, customerId: options.customerId === undefined ? "1001" : options.customerId });
}

/** A request from a customer account extension to the app, with its session token. */
export function customerAccountRequest(method: string, path: string, token: string | null, body?: unknown): Request {
  const request = checkoutRequest(method, path, token, body);
  request.headers.set("Origin", "https://extensions.shopifycdn.com");
  return request;
}
