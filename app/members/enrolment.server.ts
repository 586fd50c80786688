import type { Shop } from "../generated/prisma/client";
import { earn, findEntry } from "../ledger/ledger.server";
import { lockMember, type CustomerProfile } from "./members.server";
import type { Outcome } from "../earning/orders.server";
import { currentProgram } from "../shops/shops.server";
import type { Tx } from "../db/transaction.server";

/**
 * customers/create: enrol the customer; award the signup bonus once when the program has one. In a "members join"
 * program a new customer record (a guest checkout, a POS sale, an account) is not a membership: the bonus waits
 * for joinProgram (membership.server.ts).
 */
export async function enrolCustomer(tx: Tx, shop: Shop, profile: CustomerProfile, joinedAt: Date): Promise<Outcome> {
  const program = await currentProgram(tx, shop);
  if (program.settings.membership.mode === "join") {
    return { outcome: "recorded", detail: "members join this program: the customer is not enrolled until they join" };
  }
  const member = await lockMember(tx, shop.id, profile);
  const bonus = program.settings.signupBonus;
  if (bonus <= 0) return { outcome: "recorded", detail: "member enrolled; no signup bonus in the program" };
  const key = `signup:${profile.customerId}`;
  if (await findEntry(tx, shop.id, key)) return { outcome: "duplicate", detail: "signup bonus already awarded" };
  await earn(tx, member, bonus, { ...program.settings, pendingDays: 0 }, shop.timezone, {
    reason: "Signup bonus",
    sourceType: "signup",
    sourceId: profile.customerId,
    programVersionId: program.version.id,
    idempotencyKey: key,
    occurredAt: joinedAt,
  });
  return { outcome: "applied", detail: `signup bonus of ${bonus} points` };
}
