// The customer-account routes' shared answers: what a request may say, and how a refusal or an outage is answered.
import { z } from "zod";
import { isDatabaseUnavailable, unavailableResponse } from "../db/unavailable.server";
import type { ProfileChange } from "./customer-account-api";
import { AccountRefused } from "./customer-account.server";
import { MembershipRefused } from "./membership.server";

const profileChange = z.discriminatedUnion("action", [
  z.object({ action: z.literal("join"), termsVersion: z.string().min(1).max(100) }),
  z.object({ action: z.literal("leave"), confirm: z.boolean() }),
  z.object({ action: z.literal("birthday"), birthday: z.string().max(10) }),
  z.object({ action: z.literal("emails"), pointsNewsEmails: z.boolean() }),
]);

/** One profile change from a request body, or why it is not one. */
export function parseProfileChange(body: unknown): ProfileChange | { error: string } {
  const parsed = profileChange.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  return { error: `${issue.path.join(".") || "body"}: ${issue.message}` };
}

/** Shopify's numeric order id, from the number or the GID ("gid://shopify/Order/123"); null otherwise. */
export function orderIdOf(value: string | undefined): string | null {
  const match = /^(?:gid:\/\/shopify\/Order\/)?(\d{1,20})$/.exec(decodeURIComponent(value ?? ""));
  return match ? match[1] : null;
}

/** 503 when the database is unreachable (the extension says points are temporarily unavailable), 4xx for a refusal. */
export function accountFailure(error: unknown): Response {
  if (isDatabaseUnavailable(error)) return unavailableResponse();
  if (error instanceof AccountRefused)
    return Response.json({ error: error.message, code: error.code }, { status: error.status });
  if (error instanceof MembershipRefused)
    return Response.json({ error: error.message, code: "refused" }, { status: 422 });
  throw error;
}
