import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalServer, type LocalServer } from "./support/local-server";
import { isLocalRequest, localMode } from "../app/local/local.server";
import { orderPayload } from "./support/payloads";
import { proxyRequest, webhookRequest } from "./support/shopify";

describe("local mode guards", () => {
  it("is off unless explicitly enabled", () => {
    expect(localMode({ NODE_ENV: "development" })).toBe(false);
  });

  it("refuses to run in production", () => {
    expect(() => localMode({ TSUMIKI_LOCAL: "1", NODE_ENV: "production" })).toThrow(
      /not allowed with NODE_ENV=production/,
    );
  });

  it("refuses to bind anywhere but loopback", () => {
    expect(() => localMode({ TSUMIKI_LOCAL: "1", HOST: "0.0.0.0" })).toThrow(/loopback/);
  });

  it("the local admin door does not exist outside local mode", async () => {
    const { loader } = await import("../app/routes/local.admin");
    const response = await Promise.resolve()
      .then(() =>
        loader({ request: new Request("http://127.0.0.1:3000/local/admin"), params: {}, context: {} } as never),
      )
      .catch((thrown: unknown) => thrown as Response);
    expect((response as Response).status).toBe(404);
  });

  it("treats a request as local by the connection's address, never by its Host header", () => {
    const env = { TSUMIKI_LOCAL: "1" };
    expect(isLocalRequest({ remoteAddress: "127.0.0.1" }, env)).toBe(true);
    expect(isLocalRequest({ remoteAddress: "::1" }, env)).toBe(true);
    expect(isLocalRequest({ remoteAddress: "::ffff:127.0.0.1" }, env)).toBe(true);
    expect(isLocalRequest({ remoteAddress: "192.168.1.20" }, env)).toBe(false);
    expect(isLocalRequest({ remoteAddress: "::ffff:10.0.0.5" }, env)).toBe(false);
    expect(isLocalRequest({}, env)).toBe(false);
    expect(isLocalRequest({ remoteAddress: "127.0.0.1" }, {})).toBe(false);
  });

  it("the local admin door answers 404 to a remote peer that claims Host: 127.0.0.1", async () => {
    const { loader } = await import("../app/routes/local.admin");
    const previous = process.env.TSUMIKI_LOCAL;
    process.env.TSUMIKI_LOCAL = "1";
    try {
      const request = new Request("http://127.0.0.1:3000/local/admin", { headers: { Host: "127.0.0.1:3000" } });
      const call = (remoteAddress: string) =>
        Promise.resolve()
          .then(() => loader({ request, params: {}, context: { remoteAddress } } as never))
          .catch((thrown: unknown) => thrown as Response);
      expect(((await call("203.0.113.9")) as Response).status).toBe(404);
      expect(((await call("127.0.0.1")) as Response).status).toBe(302);
    } finally {
      if (previous === undefined) delete process.env.TSUMIKI_LOCAL;
      else process.env.TSUMIKI_LOCAL = previous;
    }
  });
});

// The README's `npm run local`, started for real: migrations, the demo shop, the HTTP server.
describe("npm run local", () => {
  let server: LocalServer;

  beforeAll(async () => {
    server = await startLocalServer();
  }, 120_000);

  afterAll(() => server.stop());

  it("accepts a webhook signed with SHOPIFY_API_SECRET for the demo shop and shows the points on the proxy", async () => {
    const options = { shop: "tsumiki-demo.myshopify.com", secret: server.secret, baseUrl: server.baseUrl };
    const paid = await fetch(webhookRequest("orders/paid", orderPayload({ customerId: 1001, total: "5400" }), options));
    expect(paid.status).toBe(200);
    const summary = await fetch(proxyRequest("summary", { ...options, customerId: "1001" }));
    expect(await summary.json()).toMatchObject({ member: { available: 54, pending: 0 }, program: { currency: "JPY" } });
    expect(server.output()).toContain("demo shop tsumiki-demo.myshopify.com");
  }, 60_000);

  it("binds to loopback itself, with no HOST given", () => {
    expect(server.output()).toMatch(/development server listening on 127\.0\.0\.1:\d+/);
  });

  it("rejects a webhook signed with any other secret", async () => {
    const forged = await fetch(
      webhookRequest("orders/paid", orderPayload({ customerId: 1002 }), {
        shop: "tsumiki-demo.myshopify.com",
        secret: "wrong",
        baseUrl: server.baseUrl,
      }),
    );
    expect(forged.status).toBe(401);
  });
});
