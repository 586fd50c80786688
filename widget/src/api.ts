import type {
  HistoryPage,
  JoinRequest,
  RedeemRequest,
  RedeemResult,
  StorefrontError,
  StorefrontSummary,
} from "../../app/storefront/storefront-api";

/** A refused or failed request: `status` 0 when the network failed, `code` when the proxy named the refusal. */
export interface ApiFailure extends Partial<StorefrontError> {
  status: number;
}

export interface Api {
  summary(): Promise<StorefrontSummary>;
  history(before: string): Promise<HistoryPage>;
  redeem(request: RedeemRequest): Promise<RedeemResult>;
  join(request: JoinRequest): Promise<unknown>;
}

export function createApi(proxy: string): Api {
  const call = <T>(name: string, body?: unknown): Promise<T> =>
    fetch(proxy + "/" + name, {
      method: body ? "POST" : "GET",
      credentials: "same-origin",
      headers: { Accept: "application/json", ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    }).then(
      (res) =>
        res.json().then(
          (json) => (res.ok ? json : Promise.reject({ ...json, status: res.status })),
          () => Promise.reject({ status: res.status }),
        ),
      () => Promise.reject({ status: 0 }),
    );
  return {
    summary: () => call("summary"),
    history: (before) => call("history?before=" + encodeURIComponent(before)),
    redeem: (request) => call("redeem", request),
    join: (request) => call("join", request),
  };
}

/** A random id for one Redeem click: the proxy returns the same code when a retry sends it again. */
export function idempotencyKey(): string {
  const c = globalThis.crypto;
  return c && c.randomUUID ? c.randomUUID() : Date.now().toString(36) + Math.random().toString(36).slice(2);
}
