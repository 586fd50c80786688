import { apiCaller, problemResponse, readApiBody } from "./http.server";
import { idempotentRequest } from "./idempotency.server";
import { problem } from "./problem";

/**
 * What every write starts with: a POST by a key with the write scope, within its rate limit, carrying an
 * Idempotency-Key and a JSON body within the limit. Otherwise throws the problem to answer (405, 401, 403, 429,
 * 413, 400).
 */
export async function writeRequest(request: Request) {
  if (request.method !== "POST") throw problemResponse(problem(405, "Use POST."), { Allow: "POST" });
  const caller = await apiCaller(request, "write");
  const { raw, json } = await readApiBody(request);
  return { caller, idempotent: idempotentRequest(request, raw), json };
}

/** A write route's GET: the route takes POST only. */
export const postOnly = () => problemResponse(problem(405, "Use POST."), { Allow: "POST" });
