import type { z } from "zod";
import { BodyTooLarge, readLimited } from "../http/body.server";
import { authenticateApiKey, type ApiCaller } from "./keys.server";
import type { ApiScope } from "./keys";
import { problem, PROBLEM_CONTENT_TYPE, type Problem } from "./problem";
import { limitRate } from "./rate-limiter.server";

/** The largest body a write may send: each is a handful of fields. */
export const API_BODY_LIMIT = 16 * 1024;

const NO_STORE = { "Cache-Control": "no-store" };

export function apiJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

export function problemResponse(details: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(details), {
    status: details.status,
    headers: { "Content-Type": PROBLEM_CONTENT_TYPE, ...NO_STORE, ...headers },
  });
}

/**
 * The caller of an API request with the scope it needs, within its key's rate limit. Otherwise throws the problem
 * to answer (401, 403, or 429 with Retry-After), as Remix lets a loader throw a Response.
 */
export async function apiCaller(request: Request, needed: ApiScope): Promise<ApiCaller> {
  const authenticated = await authenticateApiKey(request, needed);
  if ("problem" in authenticated) throw problemResponse(authenticated.problem);
  const wait = limitRate(authenticated.caller.key);
  if (wait !== null) {
    const limit = authenticated.caller.key.rateLimitPerMinute;
    throw problemResponse(problem(429, `This key may make ${limit} requests a minute; retry in ${wait} s.`), {
      "Retry-After": String(wait),
    });
  }
  return authenticated.caller;
}

/** A refused body or query: 422 naming each field at fault (`points`, `lines.0.sku`; `body` for the whole). */
export function invalid(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): Response {
  const errors = issues.map((issue) => ({ field: issue.path.map(String).join(".") || "body", message: issue.message }));
  const detail = errors.map((error) => `${error.field}: ${error.message}`).join("; ");
  return problemResponse(problem(422, detail, { errors }));
}

/** Parses a query or body with the schema, or throws the 422 naming the fields at fault. */
export function parseOr422<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalid(parsed.error.issues);
  return parsed.data;
}

/** The raw body (for the idempotency fingerprint) and its JSON; throws 413 over the limit, 400 for non-JSON. */
export async function readApiBody(request: Request): Promise<{ raw: string; json: unknown }> {
  let bytes: Uint8Array;
  try {
    bytes = await readLimited(request, API_BODY_LIMIT);
  } catch (error) {
    if (error instanceof BodyTooLarge) throw problemResponse(problem(413, `The limit is ${API_BODY_LIMIT} bytes.`));
    throw error;
  }
  const raw = new TextDecoder().decode(bytes);
  try {
    return { raw, json: JSON.parse(raw) as unknown };
  } catch {
    throw problemResponse(problem(400, "The body must be JSON (Content-Type: application/json)."));
  }
}

/** Answers a thrown Response as a returned one, so a route can `throw` its problems from helpers. */
export async function answering(work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
