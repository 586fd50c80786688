import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import prisma from "../../app/db.server";
import { createApiKey } from "../../app/api/keys.server";
import type { ApiScope } from "../../app/api/keys";
import * as mcpRoute from "../../app/routes/mcp";
import * as proxyMcpRoute from "../../app/routes/proxy.mcp";
import { proxyRequest, SHOP } from "../support/shopify";

type Route = { loader: (args: never) => Promise<Response>; action: (args: never) => Promise<Response> };

/** Answers a request with the route module, as Remix would: GET to the loader, the rest to the action. */
async function callRoute(route: Route, request: Request): Promise<Response> {
  const handler = request.method === "GET" || request.method === "HEAD" ? route.loader : route.action;
  try {
    return await handler({ request, params: {}, context: {} } as never);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** POST /mcp (or another method) straight to the route, for what a client library hides (status codes, headers). */
export function mcpRequest(init: RequestInit & { key?: string }): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.key) headers.set("Authorization", `Bearer ${init.key}`);
  return callRoute(mcpRoute, new Request("https://tsumiki.test/mcp", { ...init, headers }));
}

export async function apiKey(shopId: string, scopes: ApiScope[]): Promise<{ key: string; prefix: string }> {
  const { key, record } = await prisma.$transaction((tx) =>
    createApiKey(tx, shopId, { name: "assistant", scopes, createdBy: "staff:1" }),
  );
  return { key, prefix: record.prefix };
}

/** The SDK's own client, its HTTP requests answered by the /mcp route module. */
export async function staffClient(key: string): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL("https://tsumiki.test/mcp"), {
    requestInit: { headers: { Authorization: `Bearer ${key}` } },
    fetch: (url, init) => callRoute(mcpRoute, new Request(url, init)),
  });
  const client = new Client({ name: "staff-assistant", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

/**
 * The SDK's own client as a shopper's assistant in the storefront: each request goes through Shopify's app proxy,
 * which signs the query with the shop and the logged-in customer (the client never names them).
 */
export async function shopperClient(customerId: string | null, shop = SHOP): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL("https://shop.example/apps/tsumiki/mcp"), {
    fetch: (_url, init) => {
      const signed = proxyRequest("mcp", { shop, customerId });
      return callRoute(proxyMcpRoute, new Request(signed.url, init));
    },
  });
  const client = new Client({ name: "shopper-assistant", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

/** Calls a tool and reads its JSON answer. */
export async function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<{ isError: boolean; data: Record<string, unknown> & { error?: string } }> {
  const result = await client.callTool({ name, arguments: args });
  const text = (result.content as Array<{ type: string; text: string }>)[0]?.text ?? "";
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(text) as Record<string, unknown>;
  } catch {
    data = { error: text };
  }
  return { isError: result.isError === true, data };
}

/** A raw `tools/list` POST to the proxy's MCP route at this (signed or unsigned) URL, answered as Remix would. */
export function listToolsThroughProxy(url: string): Promise<Response> {
  return callRoute(
    proxyMcpRoute,
    new Request(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    }),
  );
}
