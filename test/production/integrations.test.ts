import { createHmac, randomUUID } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orderPayload } from "../support/payloads";
import { embeddedAdmin, startProductionServer, type ProductionServer } from "../support/production-server";
import { proxyRequest, webhookRequest } from "../support/shopify";

const SHOP = "integrations-production.myshopify.com";
const CUSTOMER = 7401;

/** The text of a tool's answer, as JSON. */
async function tool(client: Client, name: string, args: Record<string, unknown> = {}) {
  const result = await client.callTool({ name, arguments: args });
  return JSON.parse((result.content as Array<{ text: string }>)[0].text) as Record<string, unknown>;
}

// What other systems and agents call, on `npm run build && npm start`: the REST API with a key made on the admin page,
// the MCP server for staff (API key) and for a shopper (app proxy), and a Shopify Flow action.
describe("integrations on the production build", () => {
  let server: ProductionServer;
  let key = "";
  let memberId = "";
  const signed = { shop: SHOP } as { shop: string; secret: string; baseUrl: string };
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${server.baseUrl}/api/v1${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json", ...init.headers },
    });

  beforeAll(async () => {
    server = await startProductionServer(SHOP);
    Object.assign(signed, { secret: server.secret, baseUrl: server.baseUrl });
    const paid = await fetch(
      webhookRequest("orders/paid", orderPayload({ customerId: CUSTOMER, total: "5000", currency: "JPY" }), signed),
    );
    expect(paid.status).toBe(200);
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
  });

  it("staff create an API key on the admin page; it reads the member and the OpenAPI document", async () => {
    const created = await embeddedAdmin(server, SHOP)("/app/api-keys?_data=routes%2Fapp.api-keys", {
      method: "POST",
      body: JSON.stringify({ intent: "create", name: "POS", scopes: ["read", "write"] }),
    });
    expect(created.status).toBe(200);
    key = ((await created.json()) as { created: { key: string } }).created.key;

    const found = await api(`/members?customer_id=${CUSTOMER}`);
    expect(found.status).toBe(200);
    const { members } = (await found.json()) as {
      members: Array<{ id: string; points: { available: number; pending: number } }>;
    };
    expect(members).toHaveLength(1);
    memberId = members[0].id;
    // ¥5,000 at the default 1 point per ¥100.
    expect(members[0].points.available + members[0].points.pending).toBe(50);

    const document = await fetch(`${server.baseUrl}/api/v1/openapi.json`);
    expect(document.status).toBe(200);
    expect(((await document.json()) as { openapi: string }).openapi).toBe("3.1.0");
    expect((await fetch(`${server.baseUrl}/api/v1/members/${memberId}`)).status).toBe(401);
  });

  it("a retried adjustment with one Idempotency-Key has one effect; a bad body is a 422 problem", async () => {
    const adjust = () =>
      api(`/members/${memberId}/adjustments`, {
        method: "POST",
        headers: { "Idempotency-Key": "prod-adjust-1" },
        body: JSON.stringify({ points: 120, reason: "Survey answered" }),
      });
    const first = await adjust();
    expect(first.status).toBe(201);
    const again = await adjust();
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const entries = (await (await api(`/members/${memberId}/entries`)).json()) as {
      entries: Array<{ kind: string; points: number }>;
    };
    expect(entries.entries.filter((e) => e.kind === "adjust")).toEqual([expect.objectContaining({ points: 120 })]);
    const bad = await api(`/members/${memberId}/adjustments`, {
      method: "POST",
      headers: { "Idempotency-Key": "prod-adjust-2" },
      body: JSON.stringify({ points: 1.5, reason: "x" }),
    });
    expect(bad.status).toBe(422);
    expect(bad.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });

  it("a staff assistant reads the balance over MCP with the key", async () => {
    const client = new Client({ name: "assistant", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${server.baseUrl}/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${key}` } },
      }),
    );
    const balance = await tool(client, "get_balance", { customer_id: String(CUSTOMER) });
    expect(balance).toMatchObject({ customerId: String(CUSTOMER), available: 50 + 120 });
    await client.close();
  });

  it("a shopper's assistant reads only their own balance through the app proxy", async () => {
    const client = new Client({ name: "storefront-chat", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${server.baseUrl}/proxy/mcp`), {
        fetch: (_url, init) => {
          const request = proxyRequest("mcp", { ...signed, customerId: String(CUSTOMER) });
          return fetch(request.url, init);
        },
      }),
    );
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain("get_balance");
    expect(await tool(client, "get_balance")).toMatchObject({ customerId: String(CUSTOMER) });
    await client.close();
  });

  it("a Shopify Flow action awards points once however often the run is sent", async () => {
    const body = JSON.stringify({
      shopify_domain: SHOP,
      action_run_id: randomUUID(),
      handle: "award-points",
      properties: { customer_id: String(CUSTOMER), points: 30, reason: "Flow: review written" },
    });
    const send = () =>
      fetch(`${server.baseUrl}/flow/actions/award-points`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "X-Shopify-Hmac-Sha256": createHmac("sha256", server.secret).update(body).digest("base64"),
        },
        body,
      });
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(200);
    const entries = (await (await api(`/members/${memberId}/entries`)).json()) as {
      entries: Array<{ points: number; description: string }>;
    };
    expect(entries.entries.filter((e) => e.points === 30)).toHaveLength(1);
    const forged = await fetch(`${server.baseUrl}/flow/actions/award-points`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Hmac-Sha256": "AAAA" },
      body,
    });
    expect(forged.status).toBe(401);
  });
});
