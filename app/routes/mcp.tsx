import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { authenticateApiKey } from "../api/keys.server";
import { hasScope } from "../api/keys";
import { problem, PROBLEM_CONTENT_TYPE } from "../api/problem";
import { limitRate } from "../api/rate-limiter.server";
import { orUnavailable } from "../db/unavailable.server";
import { answerMcp } from "../mcp/http.server";

// /mcp: the MCP server (Streamable HTTP) for staff assistants, with an API key as `Authorization: Bearer <key>`.
// A read key reads; adjust_points needs the write scope, checked by the tool so the agent is told why.
async function serve(request: Request): Promise<Response> {
  const auth = await authenticateApiKey(request, "read");
  if ("problem" in auth) {
    return Response.json(auth.problem, {
      status: auth.problem.status,
      headers: { "Content-Type": PROBLEM_CONTENT_TYPE, "WWW-Authenticate": 'Bearer realm="tsumiki"' },
    });
  }
  const { key, shop, actor } = auth.caller;
  // The key's one limit, shared with its REST requests: an agent looping on tools is stopped like a script would be.
  const wait = limitRate(key);
  if (wait !== null) {
    const limited = problem(429, `This key may make ${key.rateLimitPerMinute} requests a minute; retry in ${wait} s.`);
    return Response.json(limited, {
      status: 429,
      headers: { "Content-Type": PROBLEM_CONTENT_TYPE, "Retry-After": String(wait) },
    });
  }
  return answerMcp(request, { kind: "staff", shop, actor, keyId: key.id, canWrite: hasScope(key.scopes, "write") });
}

export const loader = ({ request }: LoaderFunctionArgs) => orUnavailable(() => serve(request));
export const action = ({ request }: ActionFunctionArgs) => orUnavailable(() => serve(request));
