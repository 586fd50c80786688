import {
  adminAnswers,
  bulkOperation,
  happyAdmin,
  serveBulkResult,
  type AdminCall,
  type AdminResponder,
} from "./admin-api";

/** A customer line of the customers bulk result, in the 2026-07 shape of the query in app/sync/customers.server.ts. */
export function customerLine(
  id: number | string,
  fields: {
    firstName?: string | null;
    lastName?: string | null;
    email?: string | null;
    marketingState?: string;
    tags?: string[];
    state?: string;
    verifiedEmail?: boolean;
    updatedAt?: string;
    locale?: string;
  } = {},
): string {
  const email = fields.email === undefined ? `customer${id}@example.jp` : fields.email;
  return JSON.stringify({
    id: `gid://shopify/Customer/${id}`,
    firstName: fields.firstName === undefined ? "Hanako" : fields.firstName,
    lastName: fields.lastName === undefined ? "Yamada" : fields.lastName,
    tags: fields.tags ?? [],
    state: fields.state ?? "ENABLED",
    verifiedEmail: fields.verifiedEmail ?? true,
    locale: fields.locale ?? "ja",
    updatedAt: fields.updatedAt ?? "2026-11-01T00:00:00Z",
    defaultEmailAddress: email
      ? { emailAddress: email, marketingState: fields.marketingState ?? "NOT_SUBSCRIBED" }
      : null,
  });
}

export const jsonl = (lines: string[]) => lines.map((line) => `${line}\n`).join("");

interface RemoteState {
  status: string;
  errorCode: string | null;
  objectCount: number;
  url: string | null;
  query: string;
}

/**
 * Shopify's side of bulk operations for a test: each bulkOperationRunQuery gets an operation that runs until the test
 * completes it (with a result file served at the URL it then reports) or fails it; other calls get the happy answers.
 */
export function bulkShopify(fallback: AdminResponder = happyAdmin) {
  const operations = new Map<string, RemoteState>();
  const base = Math.floor(Math.random() * 1e6) * 1000;
  let next = 1;
  const responder: AdminResponder = (call: AdminCall) => {
    if (call.operation === "TsumikiRunBulkQuery") {
      const id = `gid://shopify/BulkOperation/${base + next++}`;
      operations.set(id, {
        status: "RUNNING",
        errorCode: null,
        objectCount: 0,
        url: null,
        query: String(call.variables.query),
      });
      return adminAnswers.bulkOperationRunQuery(id);
    }
    if (call.operation === "TsumikiBulkOperation") {
      const id = String(call.variables.id);
      const state = operations.get(id);
      return { bulkOperation: state ? bulkOperation({ id, ...state }) : null };
    }
    return fallback(call);
  };
  const idOf = (kind: "customers" | "products") =>
    [...operations].filter(([, state]) => state.query.includes(`${kind} {`)).pop()?.[0];
  return {
    responder,
    operations,
    /** The latest operation started for this kind. */
    latest(kind: "customers" | "products"): string {
      const id = idOf(kind);
      if (!id) throw new Error(`no ${kind} bulk operation was started`);
      return id;
    },
    /** Shopify finished: the result file is served and the operation reports it. */
    complete(id: string, body: string | (() => ReadableStream<Uint8Array>), objectCount?: number) {
      const count = objectCount ?? (typeof body === "string" ? body.split("\n").filter(Boolean).length : 0);
      operations.set(id, {
        ...operations.get(id)!,
        status: "COMPLETED",
        objectCount: count,
        url: serveBulkResult(body),
      });
    },
    fail(id: string, status: "FAILED" | "CANCELED" | "EXPIRED", errorCode: string | null) {
      operations.set(id, { ...operations.get(id)!, status, errorCode, url: null });
    },
  };
}

/** The bulk_operations/finish payload Shopify sends for an operation (2026-07 shape). */
export function finishPayload(id: string, status = "completed", errorCode: string | null = null) {
  return {
    admin_graphql_api_id: id,
    completed_at: status === "completed" ? new Date().toISOString() : null,
    created_at: new Date().toISOString(),
    error_code: errorCode,
    status,
    type: "query",
  };
}
