import { shopify } from "./app.server";
import { backoffAfterThrottled, waitBefore, type BucketReading, type ThrottleStatus } from "./throttle";

export class AdminApiError extends Error {}

/** The shop has no offline session (not installed, or uninstalled): retrying cannot help. */
export class NoOfflineSession extends AdminApiError {}

export interface UserError {
  field?: string[] | null;
  message: string;
}

interface CostExtension {
  cost?: { requestedQueryCost?: number; actualQueryCost?: number | null; throttleStatus?: ThrottleStatus };
}

/** The last bucket reading per shop, and what a call cost last time, so the next call waits before it is refused. */
const buckets = new Map<string, BucketReading>();
const lastCost = new Map<string, number>();
/** Without a reading yet: what Shopify charges a typical query of ours. */
const DEFAULT_COST = 50;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function remember(shop: string, extensions: CostExtension | undefined) {
  const status = extensions?.cost?.throttleStatus;
  if (status) buckets.set(shop, { ...status, at: Date.now() });
  const cost = extensions?.cost?.actualQueryCost ?? extensions?.cost?.requestedQueryCost;
  if (typeof cost === "number") lastCost.set(shop, cost);
}

interface GraphqlErrorShape {
  message?: string;
  extensions?: { code?: string };
}

/** Shopify's GraphQL errors as the client library reports them (GraphqlQueryError's body), if any. */
function graphqlErrors(error: unknown): { errors: GraphqlErrorShape[]; extensions?: CostExtension } | null {
  const body = (error as { body?: { errors?: { graphQLErrors?: GraphqlErrorShape[] }; extensions?: CostExtension } })
    .body;
  const errors = body?.errors?.graphQLErrors;
  return Array.isArray(errors) ? { errors, extensions: body?.extensions } : null;
}

/** Seconds Shopify asked us to wait on an HTTP 429 (the client library's HttpThrottlingError). */
function retryAfter(error: unknown): number | null {
  const value = (error as { retryAfter?: unknown; code?: unknown }).retryAfter;
  if ((error as { code?: unknown }).code === 429) return typeof value === "number" ? value : 1;
  return null;
}

/**
 * One Admin GraphQL call with the shop's offline session. It respects Shopify's cost-based limits: it waits until
 * the last reading of the shop's bucket holds this call's expected cost, and when Shopify still answers
 * THROTTLED (or HTTP 429) it backs off and tries again, so a job is never failed by an empty bucket. Other GraphQL
 * and HTTP errors become AdminApiError.
 */
export async function adminGraphql<T>(shop: string, query: string, variables: Record<string, unknown>): Promise<T> {
  let admin: Awaited<ReturnType<typeof shopify.unauthenticated.admin>>["admin"];
  try {
    ({ admin } = await shopify.unauthenticated.admin(shop));
  } catch (error) {
    throw new NoOfflineSession(`no offline session for ${shop}: ${(error as Error).message}`);
  }
  for (let attempt = 1; ; attempt++) {
    const cost = lastCost.get(shop) ?? DEFAULT_COST;
    const wait = waitBefore(buckets.get(shop), cost, Date.now());
    if (wait > 0) await sleep(wait);
    let body: { data?: T; errors?: unknown; extensions?: CostExtension };
    try {
      const response = await admin.graphql(query, { variables });
      body = (await response.json()) as typeof body;
    } catch (error) {
      const reported = graphqlErrors(error);
      if (reported?.errors.some((e) => e.extensions?.code === "THROTTLED")) {
        remember(shop, reported.extensions);
        await sleep(backoffAfterThrottled(attempt, reported.extensions?.cost?.throttleStatus, cost));
        continue;
      }
      const seconds = retryAfter(error);
      if (seconds !== null) {
        await sleep(Math.min(20_000, seconds * 1000));
        continue;
      }
      throw new AdminApiError(`Shopify Admin API call failed for ${shop}: ${(error as Error).message}`);
    }
    remember(shop, body.extensions);
    if (!body.data) throw new AdminApiError(`Shopify Admin API returned no data: ${JSON.stringify(body.errors)}`);
    return body.data;
  }
}

export function raiseUserErrors(operation: string, errors: UserError[]): void {
  if (errors.length > 0) throw new AdminApiError(`${operation}: ${errors.map((e) => e.message).join("; ")}`);
}

/** The numeric id at the end of a Shopify GID ("gid://shopify/Order/123" → "123"). */
export const numericId = (gid: string) => gid.split("/").pop()!;
