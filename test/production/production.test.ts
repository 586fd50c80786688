import { readdirSync, readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BODY_LIMITS } from "../../app/http/body-limits";
import type { RedeemResult, StorefrontSummary } from "../../app/storefront/storefront-api";
import { checkAgainstSchema } from "../support/admin-api";
import { orderPayload } from "../support/payloads";
import { startProductionServer, type ProductionServer } from "../support/production-server";
import {
  adminDocumentUrl,
  BROWSER_USER_AGENT,
  checkoutRequest,
  proxyRequest,
  sessionToken,
  webhookRequest,
} from "../support/shopify";

const SHOP = "production-test.myshopify.com";

/** A POST that declares `declared` bytes and sends only its first few: the server must answer without the rest. */
function declareHugeBody(url: string, declared: number): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const request = httpRequest(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Content-Length": String(declared) },
    });
    request.on("response", (response) => {
      let body = "";
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => done({ status: response.statusCode ?? 0, body }));
    });
    request.on("error", fail);
    request.write("{");
  });
}

// `npm run build && npm start`, driven as Shopify, storefronts and checkouts drive it: the program that ships.
describe("the production build under npm start", () => {
  let server: ProductionServer;
  const signed = { shop: SHOP } as { shop: string; secret: string; baseUrl: string };

  beforeAll(async () => {
    server = await startProductionServer(SHOP);
    Object.assign(signed, { secret: server.secret, baseUrl: server.baseUrl });
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
  });

  it("listens where HOST says and reports itself healthy", async () => {
    expect(server.output()).toMatch(/production server listening on 127\.0\.0\.1:\d+/);
    const health = await fetch(`${server.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
  });

  it("orders/paid: applied, then the same delivery is a duplicate; forged is 401, malformed 400", async () => {
    const order = webhookRequest("orders/paid", orderPayload({ customerId: 1201, total: "120000" }), signed);
    const first = await fetch(order.clone());
    expect(first.status).toBe(200);
    expect(first.headers.get("Content-Type")).toMatch(/application\/json/);
    expect(await first.json()).toEqual({ outcome: "applied", detail: "earned 1200 points on 120000 JPY" });
    const again = await fetch(order);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ outcome: "duplicate", detail: "delivery already processed" });

    const forged = await fetch(webhookRequest("orders/paid", orderPayload(), { ...signed, secret: "forged" }));
    expect(forged.status).toBe(401);
    expect(await forged.json()).toEqual({ error: "invalid HMAC signature" });
    const malformed = await fetch(webhookRequest("orders/paid", null, { ...signed, rawBody: "{not json" }));
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: "body is not valid JSON" });
  });

  it("a shop that never installed is refused and stays unknown to the storefront", async () => {
    const other = { ...signed, shop: "never-installed.myshopify.com" };
    const refused = await fetch(
      webhookRequest("orders/paid", orderPayload({ customerId: 1202, total: "5400" }), other),
    );
    expect(refused.status).toBe(404);
    expect(await refused.json()).toEqual({ error: "never-installed.myshopify.com has not installed Tsumiki" });
    const summary = await fetch(proxyRequest("summary", { ...other, customerId: "1202" }));
    expect(summary.status).toBe(404);
  });

  it("an oversized body is refused with 413 by its declared length, before it is sent", async () => {
    const answer = await declareHugeBody(`${server.baseUrl}/webhooks/orders/paid`, 50 * 1024 * 1024);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({
      error: `request body is larger than ${BODY_LIMITS.webhook} bytes`,
      code: "body_too_large",
    });
    const proxy = await declareHugeBody(`${server.baseUrl}/proxy/redeem`, 1024 * 1024);
    expect(proxy.status).toBe(413);
  });

  it("a chunked signed body past the limit is cut off with 413 and applies nothing", async () => {
    const payload = orderPayload({ customerId: 1203, total: "5400" });
    (payload as Record<string, unknown>).note = "x".repeat(6 * 1024 * 1024);
    const request = webhookRequest("orders/paid", payload, signed);
    const bytes = new Uint8Array(await request.arrayBuffer());
    let offset = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= bytes.length) return controller.close();
        controller.enqueue(bytes.subarray(offset, (offset += 64 * 1024)));
      },
    });
    const headers = new Headers(request.headers);
    headers.delete("Content-Length");
    const response = await fetch(request.url, { method: "POST", headers, body, duplex: "half" } as RequestInit).catch(
      (error: unknown) => error as Error,
    );
    // The server may close the connection while the client is still sending: either way, nothing is applied.
    if (response instanceof Response) expect(response.status).toBe(413);
    const summary = await fetch(proxyRequest("summary", { ...signed, customerId: "1203" }));
    expect(((await summary.json()) as StorefrontSummary).member).toMatchObject({ available: 0, pending: 0 });
  });

  it("app proxy: the summary shows the points; a repeated shopper parameter is refused", async () => {
    const summary = await fetch(proxyRequest("summary", { ...signed, customerId: "1201" }));
    expect(summary.status).toBe(200);
    expect(summary.headers.get("Cache-Control")).toBe("private, no-store");
    const body = (await summary.json()) as StorefrontSummary;
    expect(body).toMatchObject({ loggedIn: true, member: { available: 1200, pending: 0 } });

    const repeated = new URL(proxyRequest("summary", { ...signed, customerId: "1201" }).url);
    repeated.searchParams.append("logged_in_customer_id", "1202");
    const refused = await fetch(repeated);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      error: "app proxy parameter repeated: logged_in_customer_id",
      code: "invalid_request",
    });
  });

  it("app proxy: redeem makes one code at Shopify; the same key returns it again", async () => {
    const redeem = () =>
      fetch(
        proxyRequest("redeem", {
          ...signed,
          customerId: "1201",
          method: "POST",
          body: { rewardId: "points-500", key: "production-redeem-1" },
        }),
      );
    const first = await redeem();
    expect(first.status).toBe(200);
    const result = (await first.json()) as RedeemResult;
    expect(result).toMatchObject({ code: { points: 500 }, available: 700 });
    const again = await redeem();
    expect(again.status).toBe(200);
    expect(((await again.json()) as RedeemResult).code.code).toBe(result.code.code);
    const created = server.adminCalls().filter((call) => call.operation === "TsumikiCreateRewardCode");
    expect(created).toHaveLength(1);
  });

  it("checkout: GET the shopper's points, POST to hold some, DELETE to let go", async () => {
    const token = sessionToken({ shop: SHOP, customerId: "1201", secret: server.secret, aud: server.apiKey });
    const state = await fetch(checkoutRequest("GET", "checkout/points", token, undefined, server.baseUrl));
    expect(state.status).toBe(200);
    expect(await state.json()).toMatchObject({ loggedIn: true, balance: 700 });
    const hold = await fetch(
      checkoutRequest("POST", "checkout/points", token, { points: 200, subtotalMinor: 10000 }, server.baseUrl),
    );
    expect(hold.status).toBe(200);
    expect(await hold.json()).toMatchObject({ reservation: { points: 200, amountMinor: 200 } });
    const held = await fetch(checkoutRequest("GET", "checkout/points", token, undefined, server.baseUrl));
    expect(await held.json()).toMatchObject({ reservation: { points: 200 } });
    const bad = await fetch(checkoutRequest("POST", "checkout/points", token, { points: -1 }, server.baseUrl));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: "invalid" });
    const release = await fetch(checkoutRequest("DELETE", "checkout/points", token, undefined, server.baseUrl));
    expect(release.status).toBe(200);
    expect(await release.json()).toMatchObject({ reservation: null, balance: 700 });
    const unsigned = await fetch(checkoutRequest("GET", "checkout/points", null, undefined, server.baseUrl));
    expect(unsigned.status).toBe(401);
  });

  it("every admin page renders in the embedded admin, in Japanese when the admin is in Japanese", async () => {
    // Each page, with words of its own from the Japanese catalog.
    const pages: Record<string, string> = {
      "": "ダッシュボード",
      "/customers": "顧客",
      "/insights": "ランクのファネル",
      "/insights/report": "月次レポート",
      "/review": "不正の疑いの審査",
      "/detection": "不正検知の設定",
      "/program": "プログラム",
      "/bonuses": "ボーナス",
      "/notifications": "送信の状態",
      "/activity": "顧客",
      "/import": "顧客",
      "/export": "顧客",
      "/privacy": "顧客",
      "/audit": "顧客",
      "/sync": "顧客を今すぐ同期",
      "/webhooks": "Webhookの状態",
      "/integrations/webhooks": "送信Webhook",
      "/history": "注文履歴を読み込む",
      "/permissions": "スタッフの権限",
      "/api-keys": "APIキー",
    };
    for (const [page, words] of Object.entries(pages)) {
      const url = adminDocumentUrl(`/app${page}`, {
        shop: SHOP,
        locale: "ja",
        secret: server.secret,
        apiKey: server.apiKey,
        baseUrl: server.baseUrl,
      });
      const response = await fetch(url, { headers: { "User-Agent": BROWSER_USER_AGENT } });
      const html = await response.text();
      expect({ page, status: response.status }).toEqual({ page, status: 200 });
      expect(html).toContain('<html lang="ja"');
      // React 18's stream puts NUL bytes into Japanese text at its buffer's edge; the server strips them.
      expect({ page, nul: html.includes("\0") }).toEqual({ page, nul: false });
      // The admin's navigation, and the page's own words, from the Japanese catalog.
      expect(html).toContain("顧客");
      expect({ page, words: html.includes(words) }).toEqual({ page, words: true });
    }
  });

  it("the browser's bundles use no Node global (a page that did would fail to hydrate)", () => {
    const assets = readdirSync("build/client/assets").filter((name) => name.endsWith(".js"));
    expect(assets.length).toBeGreaterThan(10);
    for (const name of assets) {
      const code = readFileSync(join("build/client/assets", name), "utf8");
      const uses = code.match(/(?<![\w$.])(Buffer\.(from|alloc|concat|isBuffer|byteLength)|require\(["']node:)/g) ?? [];
      expect({ name, uses }).toEqual({ name, uses: [] });
    }
  });

  it("local-only pages do not exist in production", async () => {
    for (const path of ["/local/admin", "/local/storefront"]) {
      const response = await fetch(`${server.baseUrl}${path}`, { redirect: "manual" });
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
    }
  });

  it("every Admin API call it made is valid against Shopify's schema, and so is each answer", () => {
    const calls = server.adminCalls();
    expect(calls.map((call) => call.operation)).toEqual(
      expect.arrayContaining(["TsumikiCreateRewardCode", "TsumikiWriteReservation", "TsumikiDeleteReservation"]),
    );
    for (const call of calls) checkAgainstSchema(call.query, call.variables, call.data);
  });
});
