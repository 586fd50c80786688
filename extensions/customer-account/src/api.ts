import type {
  AccountPoints,
  AccountProfile,
  OrderPoints,
  ProfileChange,
} from "../../../app/members/customer-account-api";
import { APP_URL } from "./config";

export type { AccountPoints, AccountProfile, OrderPoints, ProfileChange };

export class AccountApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}

/** Calls the app with the customer account's session token: the app trusts the token, not the browser. */
async function call<T>(path: string, body?: unknown): Promise<T> {
  const token = await shopify.sessionToken.get();
  const response = await fetch(`${APP_URL}/customer-account/${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json().catch(() => ({}))) as T & { code?: string };
  if (!response.ok) throw new AccountApiError(response.status, json.code ?? "unknown");
  return json;
}

export const loadPoints = () => call<AccountPoints>("points");
export const loadProfile = () => call<AccountProfile>("profile");
export const changeProfile = (change: ProfileChange) => call<AccountProfile>("profile", change);
/** `orderId`: Shopify's order GID, as the order-status page names it; the path carries its number. */
export const loadOrder = (orderId: string) =>
  call<OrderPoints>(`orders/${encodeURIComponent(orderId.split("/").pop() ?? "")}`);
