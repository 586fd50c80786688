/**
 * Errors as RFC 9457 problem details (`application/problem+json`): a stable `type` per kind of problem, the HTTP
 * status, a human `title` and `detail`, and for a refused body the fields at fault.
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  /** A refused body: each field at fault (a JSON path like `points` or `lines[0].sku`) and why. */
  errors?: Array<{ field: string; message: string }>;
}

export const PROBLEM_BASE = "https://tsumiki.app/problems/";

const TITLES: Record<number, [slug: string, title: string]> = {
  400: ["bad-request", "Bad request"],
  401: ["unauthorized", "Missing or invalid API key"],
  403: ["forbidden", "The API key lacks the scope this needs"],
  404: ["not-found", "Not found"],
  405: ["method-not-allowed", "Method not allowed"],
  409: ["conflict", "Conflict"],
  413: ["too-large", "Request body too large"],
  422: ["invalid", "The request is invalid"],
  429: ["rate-limited", "Too many requests"],
  502: ["upstream-refused", "Shopify refused the request"],
  503: ["unavailable", "Try again in a moment"],
};

/** A problem of this status, with the standard type and title for it. */
export function problem(status: number, detail?: string, extra: Partial<Problem> = {}): Problem {
  const [slug, title] = TITLES[status] ?? ["error", "Error"];
  return { type: PROBLEM_BASE + slug, title, status, ...(detail ? { detail } : {}), ...extra };
}

export const PROBLEM_CONTENT_TYPE = "application/problem+json";
