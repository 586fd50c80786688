import { randomUUID } from "node:crypto";
import type { Member } from "../generated/prisma/client";
import type { Tx } from "../db/transaction.server";

export interface CustomerProfile {
  customerId: string;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  /** The customer's language, where the event says it (an order's customer_locale). */
  locale?: string | null;
  /** Keys of the phone and default shipping address (app/fraud/identity-keys.server.ts), where the event says them. */
  phoneKey?: string | null;
  addressKey?: string | null;
}

/**
 * The member for a customer, created if new, with the profile Shopify just sent; row-locked for the rest
 * of the transaction (ON CONFLICT DO UPDATE takes the lock and returns the row in one statement).
 */
export async function lockMember(tx: Tx, shopId: string, profile: CustomerProfile): Promise<Member> {
  const rows = await tx.$queryRaw<Member[]>`
    INSERT INTO "Member" (id, "shopId", "customerId", email, "firstName", "lastName", locale, "phoneKey", "addressKey",
                          "updatedAt")
    VALUES (${randomUUID()}, ${shopId}, ${profile.customerId}, ${profile.email ?? null},
            ${profile.firstName ?? null}, ${profile.lastName ?? null}, ${profile.locale ?? null},
            ${profile.phoneKey ?? null}, ${profile.addressKey ?? null}, now())
    ON CONFLICT ("shopId", "customerId") DO UPDATE SET
      email = COALESCE(EXCLUDED.email, "Member".email),
      "phoneKey" = COALESCE(EXCLUDED."phoneKey", "Member"."phoneKey"),
      "addressKey" = COALESCE(EXCLUDED."addressKey", "Member"."addressKey"),
      locale = COALESCE(EXCLUDED.locale, "Member".locale),
      "firstName" = COALESCE(EXCLUDED."firstName", "Member"."firstName"),
      "lastName" = COALESCE(EXCLUDED."lastName", "Member"."lastName")
    RETURNING *`;
  return rows[0];
}

/** An existing member, row-locked for the rest of the transaction. */
export async function lockMemberById(tx: Tx, memberId: string): Promise<Member> {
  const rows = await tx.$queryRaw<Member[]>`SELECT * FROM "Member" WHERE id = ${memberId} FOR UPDATE`;
  if (!rows[0]) throw new Error(`member ${memberId} not found`);
  return rows[0];
}

/** Existing members, row-locked in id order (one order for every batch, so batches cannot deadlock). */
export async function lockMembers(tx: Tx, memberIds: string[]): Promise<Map<string, Member>> {
  if (memberIds.length === 0) return new Map();
  const rows = await tx.$queryRaw<Member[]>`
    SELECT * FROM "Member" WHERE id = ANY(${memberIds}::text[]) ORDER BY id FOR UPDATE`;
  return new Map(rows.map((row) => [row.id, row]));
}
