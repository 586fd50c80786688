import { gidNumber, gidType, type JsonlRecord } from "./jsonl";

/**
 * A customer as a member's profile holds it, whichever way Shopify told us (a bulk result line in the Admin API's
 * shape, or a customers/* webhook in the REST shape). `undefined` means "not said", which keeps what the member has;
 * null means Shopify has nothing there.
 */
export interface MemberProfile {
  customerId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  tags: string[] | undefined;
  emailMarketingState: string | null | undefined;
  verifiedEmail: boolean | null | undefined;
  customerState: string | null | undefined;
  /** The customer's language ("ja", "en-US"): the language of their messages. Webhooks do not carry it (undefined). */
  locale?: string | null;
  /** Keys of the phone and default shipping address (app/fraud/identity-keys.server.ts); undefined: not said. */
  phoneKey?: string | null;
  addressKey?: string | null;
  /** When Shopify last changed the customer: a profile older than the member's is not applied. */
  updatedAt: Date | null;
}

const text = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);
const upper = (value: unknown): string | null =>
  typeof value === "string" && value !== "" ? value.toUpperCase() : null;

function date(value: unknown): Date | null {
  if (typeof value !== "string") return null;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

/** A customer line of the bulk query in customers.server.ts; null for a line that is not a customer. */
export function profileFromBulk(record: JsonlRecord): MemberProfile | null {
  if (gidType(record.id) !== "Customer" || record.__parentId !== undefined) return null;
  const email = record.defaultEmailAddress as { emailAddress?: unknown; marketingState?: unknown } | null | undefined;
  return {
    customerId: gidNumber(record.id as string),
    email: text(email?.emailAddress),
    firstName: text(record.firstName),
    lastName: text(record.lastName),
    tags: Array.isArray(record.tags) ? record.tags.filter((tag): tag is string => typeof tag === "string") : [],
    emailMarketingState: upper(email?.marketingState),
    verifiedEmail: typeof record.verifiedEmail === "boolean" ? record.verifiedEmail : null,
    customerState: upper(record.state),
    locale: text(record.locale),
    updatedAt: date(record.updatedAt),
  };
}

export interface CustomerWebhookFields {
  id: string;
  email?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  tags?: string | null;
  state?: string | null;
  verified_email?: boolean | null;
  email_marketing_consent?: { state?: string | null } | null;
  updated_at?: string | null;
  phone?: string | null;
  /** Read only as a key (app/fraud/identity-keys.server.ts). */
  default_address?: {
    zip?: string | null;
    province?: string | null;
    city?: string | null;
    address1?: string | null;
    address2?: string | null;
  } | null;
  addresses?: unknown[] | null;
}

/**
 * A customers/create or customers/update payload. Since API 2025-01 these payloads carry neither tags nor email
 * marketing consent (Shopify moved them to topics of their own): when absent, the member keeps what it has.
 */
export function profileFromWebhook(payload: CustomerWebhookFields): MemberProfile {
  return {
    customerId: payload.id,
    email: text(payload.email),
    firstName: text(payload.first_name),
    lastName: text(payload.last_name),
    tags:
      typeof payload.tags === "string"
        ? payload.tags
            .split(",")
            .map((tag) => tag.trim())
            .filter(Boolean)
        : undefined,
    emailMarketingState:
      payload.email_marketing_consent === undefined ? undefined : upper(payload.email_marketing_consent?.state),
    verifiedEmail: payload.verified_email === undefined ? undefined : (payload.verified_email ?? null),
    customerState: payload.state === undefined ? undefined : upper(payload.state),
    updatedAt: date(payload.updated_at),
  };
}
