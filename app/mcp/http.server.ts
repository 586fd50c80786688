import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { isJSONRPCRequest, isJSONRPCResultResponse, type JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { bodyLimitFor } from "../http/body-limits";
import { auditToolCall, mcpServer, type McpCaller } from "./server.server";

/**
 * Answers one MCP Streamable HTTP request, stateless: a server and transport per request, JSON answers (no SSE
 * streams to keep open, which Shopify's app proxy would not pass anyway). GET (a server-to-client stream) and
 * DELETE (ending a session) have nothing to do without sessions: 405, which clients expect.
 */
export async function answerMcp(request: Request, caller: McpCaller): Promise<Response> {
  if (request.method !== "POST") {
    return Response.json(
      {
        jsonrpc: "2.0",
        error: { code: -32000, message: "Method not allowed: this server is stateless, use POST." },
        id: null,
      },
      { status: 405, headers: { Allow: "POST" } },
    );
  }
  const { server, audited } = mcpServer(caller);
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
    // The same ceiling the server applies to this path (the proxy's is small: a shopper's questions are).
    maxRequestBodySize: bodyLimitFor(new URL(request.url).pathname),
  });
  await server.connect(transport);
  auditRefusedCalls(transport, caller, audited);
  try {
    const response = await transport.handleRequest(request);
    response.headers.set("Cache-Control", "private, no-store");
    return response;
  } finally {
    await server.close();
  }
}

/**
 * Every tool call is audited: the tools audit what they answer; a call refused before reaching one (arguments out of
 * shape, such as a shopper naming a customer; an unknown tool) is audited here, from its error answer.
 */
function auditRefusedCalls(
  transport: WebStandardStreamableHTTPServerTransport,
  caller: McpCaller,
  audited: Set<string | number>,
) {
  const calls = new Map<string | number, { name: string; args: unknown }>();
  const receive = transport.onmessage;
  transport.onmessage = (message, extra) => {
    if (isJSONRPCRequest(message) && message.method === "tools/call") {
      const params = (message.params ?? {}) as { name?: unknown; arguments?: unknown };
      calls.set(message.id, { name: String(params.name ?? ""), args: params.arguments ?? {} });
    }
    receive?.(message, extra);
  };
  const send = transport.send.bind(transport);
  transport.send = async (message: JSONRPCMessage, options) => {
    const id = "id" in message ? message.id : undefined;
    const call = id === undefined || id === null ? undefined : calls.get(id);
    if (call && !audited.has(id!)) {
      const result = isJSONRPCResultResponse(message)
        ? (message.result as { content?: Array<{ text?: string }> })
        : null;
      const error = result?.content?.[0]?.text ?? ("error" in message ? message.error.message : "refused");
      const subject = caller.kind === "shopper" ? `customer ${caller.customerId}` : "arguments refused";
      await auditToolCall(caller, call.name, call.args, subject, error);
    }
    return send(message, options);
  };
}
