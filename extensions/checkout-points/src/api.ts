import { APP_URL } from "./config";
import type { PointsState, ReservationView } from "./redemption";

export class PointsApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}

/** Calls the app with the checkout's session token: the app trusts the token, not the browser. */
async function call<T>(method: "GET" | "POST" | "DELETE", body?: unknown): Promise<T> {
  const token = await shopify.sessionToken.get();
  const response = await fetch(`${APP_URL}/checkout/points`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json().catch(() => ({}))) as T & { code?: string };
  if (!response.ok) throw new PointsApiError(response.status, json.code ?? "unknown");
  return json;
}

export const loadPoints = () => call<PointsState>("GET");

export const reservePoints = (points: number, subtotalMinor: number) =>
  call<{ reservation: ReservationView; balance: number }>("POST", { points, subtotalMinor });

export const releasePoints = () => call<{ reservation: null; balance: number }>("DELETE");
