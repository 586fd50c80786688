import { randomUUID } from "node:crypto";
import type { Member } from "../generated/prisma/client";
import type { Tx } from "./transaction.server";

export interface CustomerProfile {
  customerId: string;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
}

/** The member for a customer, created if new, row-locked for the rest of the transaction. */
export async function lockMember(tx: Tx, shopId: string, profile: CustomerProfile): Promise<Member> {
  await tx.$executeRaw`
    INSERT INTO "Member" (id, "shopId", "customerId", email, "firstName", "lastName", "updatedAt")
    VALUES (${randomUUID()}, ${shopId}, ${profile.customerId}, ${profile.email ?? null},
            ${profile.firstName ?? null}, ${profile.lastName ?? null}, now())
    ON CONFLICT ("shopId", "customerId") DO NOTHING`;
  const rows = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT id FROM "Member" WHERE "shopId" = ${shopId} AND "customerId" = ${profile.customerId} FOR UPDATE`;
  const member = await lockMemberById(tx, rows[0].id);
  const changed =
    (profile.email !== undefined && profile.email !== member.email) ||
    (profile.firstName !== undefined && profile.firstName !== member.firstName) ||
    (profile.lastName !== undefined && profile.lastName !== member.lastName);
  if (!changed) return member;
  return tx.member.update({
    where: { id: member.id },
    data: { email: profile.email, firstName: profile.firstName, lastName: profile.lastName },
  });
}

/** An existing member, row-locked for the rest of the transaction. */
export async function lockMemberById(tx: Tx, memberId: string): Promise<Member> {
  await tx.$queryRaw`SELECT id FROM "Member" WHERE id = ${memberId} FOR UPDATE`;
  return tx.member.findUniqueOrThrow({ where: { id: memberId } });
}
