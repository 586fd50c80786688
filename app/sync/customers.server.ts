import type { PrismaClient, Shop } from "../generated/prisma/client";
import type { Outcome } from "../earning/orders.server";
import type { Tx } from "../db/transaction.server";
import type { BulkResultHandler } from "./bulk-handlers.server";
import { startBulkOperation, type StartResult } from "./bulk-operations.server";
import { identityKeysOf } from "../fraud/identity-keys.server";
import { profileFromBulk, profileFromWebhook, type CustomerWebhookFields, type MemberProfile } from "./customers";

/**
 * Every customer of the shop with what a member keeps of them. The default email address carries the marketing
 * state (Customer.email and Customer.emailMarketingConsent are deprecated in 2026-07).
 */
export const CUSTOMERS_BULK_QUERY = `{
  customers {
    edges {
      node {
        id
        firstName
        lastName
        tags
        state
        verifiedEmail
        locale
        updatedAt
        defaultEmailAddress { emailAddress marketingState }
      }
    }
  }
}`;

/** Loads every Shopify customer as a member, in the background (on install, and on the merchant's request). */
export function startCustomerSync(db: PrismaClient, shopDomain: string, requestedBy?: string): Promise<StartResult> {
  return startBulkOperation(db, shopDomain, "customers", CUSTOMERS_BULK_QUERY, { requestedBy });
}

const BATCH = 1000;

/**
 * Creates or updates members from customer profiles in one statement per batch. Never touches balances. A redacted
 * member never gets personal data back, and a profile older than the one the member reflects (Shopify's updatedAt)
 * changes nothing, so a late webhook or an earlier bulk snapshot cannot undo a newer update. A field a profile does
 * not state (undefined) keeps the member's value; within one call every profile states the same fields. Returns how
 * many members were created or changed.
 */
export async function upsertMembers(db: Tx | PrismaClient, shopId: string, profiles: MemberProfile[]): Promise<number> {
  if (profiles.length === 0) return 0;
  // One row per customer: a statement may not update the same member twice (a duplicated line keeps the last).
  const rows = [...new Map(profiles.map((profile) => [profile.customerId, profile])).values()].map((profile) => ({
    ...profile,
    updatedAt: profile.updatedAt?.toISOString() ?? null,
  }));
  const states = (field: keyof MemberProfile) => profiles[0][field] !== undefined;
  const [tags, marketing, verified, state, phone, address] = [
    states("tags"),
    states("emailMarketingState"),
    states("verifiedEmail"),
    states("customerState"),
    states("phoneKey"),
    states("addressKey"),
  ];
  return db.$executeRaw`
    INSERT INTO "Member" (id, "shopId", "customerId", email, "firstName", "lastName", tags, "emailMarketingState",
                          "verifiedEmail", "customerState", locale, "phoneKey", "addressKey", "shopifyUpdatedAt",
                          "updatedAt")
    SELECT gen_random_uuid()::text, ${shopId}, r."customerId", r.email, r."firstName", r."lastName",
           ARRAY(SELECT jsonb_array_elements_text(r.tags)), r."emailMarketingState", r."verifiedEmail",
           r."customerState", r.locale, r."phoneKey", r."addressKey", r."updatedAt", now()
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(
      "customerId" text, email text, "firstName" text, "lastName" text, tags jsonb, "emailMarketingState" text,
      "verifiedEmail" boolean, "customerState" text, locale text, "phoneKey" text, "addressKey" text,
      "updatedAt" timestamp(3))
    ON CONFLICT ("shopId", "customerId") DO UPDATE SET
      email = EXCLUDED.email,
      "firstName" = EXCLUDED."firstName",
      "lastName" = EXCLUDED."lastName",
      tags = CASE WHEN ${tags}::boolean THEN EXCLUDED.tags ELSE "Member".tags END,
      "emailMarketingState" = CASE WHEN ${marketing}::boolean THEN EXCLUDED."emailMarketingState" ELSE "Member"."emailMarketingState" END,
      "verifiedEmail" = CASE WHEN ${verified}::boolean THEN EXCLUDED."verifiedEmail" ELSE "Member"."verifiedEmail" END,
      "customerState" = CASE WHEN ${state}::boolean THEN EXCLUDED."customerState" ELSE "Member"."customerState" END,
      "phoneKey" = CASE WHEN ${phone}::boolean THEN EXCLUDED."phoneKey" ELSE "Member"."phoneKey" END,
      "addressKey" = CASE WHEN ${address}::boolean THEN EXCLUDED."addressKey" ELSE "Member"."addressKey" END,
      locale = COALESCE(EXCLUDED.locale, "Member".locale),
      "shopifyUpdatedAt" = COALESCE(EXCLUDED."shopifyUpdatedAt", "Member"."shopifyUpdatedAt"),
      "updatedAt" = now()
    WHERE "Member"."redactedAt" IS NULL
      AND ("Member"."shopifyUpdatedAt" IS NULL OR EXCLUDED."shopifyUpdatedAt" IS NULL
           OR "Member"."shopifyUpdatedAt" <= EXCLUDED."shopifyUpdatedAt")`;
}

/** The customers bulk result: every customer line becomes a member (no signup bonus: they did not just sign up). */
export const applyCustomers: BulkResultHandler = async (db, shop, _operation, records) => {
  let processed = 0;
  let batch: MemberProfile[] = [];
  const flush = async () => {
    await upsertMembers(db, shop.id, batch);
    processed += batch.length;
    batch = [];
  };
  for await (const record of records) {
    const profile = profileFromBulk(record);
    if (!profile) continue;
    batch.push(profile);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return { processed };
};

/**
 * customers/create and customers/update: the member's profile as the payload states it, unless it is older. The
 * phone and default address are kept as keys only (app/fraud/identity-keys.server.ts).
 */
export async function applyCustomerProfile(tx: Tx, shop: Shop, payload: CustomerWebhookFields): Promise<Outcome> {
  const profile = { ...profileFromWebhook(payload), ...identityKeysOf(payload) };
  const changed = await upsertMembers(tx, shop.id, [profile]);
  if (changed > 0) return { outcome: "applied", detail: `member for customer ${payload.id} updated` };
  const member = await tx.member.findUnique({
    where: { shopId_customerId: { shopId: shop.id, customerId: payload.id } },
    select: { redactedAt: true, shopifyUpdatedAt: true },
  });
  if (member?.redactedAt) return { outcome: "skipped", detail: `customer ${payload.id} was redacted` };
  return {
    outcome: "skipped",
    detail: `older than the member's profile (updated ${member?.shopifyUpdatedAt?.toISOString() ?? "later"})`,
  };
}
