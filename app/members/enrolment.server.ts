import type { Shop } from "../generated/prisma/client";
import { earn, findEntry } from "../ledger/ledger.server";
import { lockMember, type CustomerProfile } from "./members.server";
import type { Outcome } from "../earning/orders.server";
import { currentProgram } from "../shops/shops.server";
import type { Tx } from "../db/transaction.server";
import { checkSignupBonus, holdSignupBonus } from "../fraud/signup.server";
import { DAY_MS } from "../fraud/signals";

/**
 * customers/create: enrol the customer; award the signup bonus once when the program has one. In a "members join"
 * program a new customer record (a guest checkout, a POS sale, an account) is not a membership: the bonus waits
 * for joinProgram (membership.server.ts). A bonus to a member the signup-farming rule names (one of a burst of new
 * accounts sharing an email pattern) is paid all the same, but into a pending lot held for review.
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
  // Checked as it is paid: the bonus is spendable at once, so by the daily scan there would be nothing left to hold.
  const check = await checkSignupBonus(tx, shop.id, member.id, new Date());
  const held = check?.decision.hold === true;
  // Held: pending (earn makes a lot pending only if it becomes available later than the clock), then its availableAt
  // set back to the signup, so approving the case makes it spendable at once.
  const pendingDays = held ? Math.max(1, Math.ceil((Date.now() - joinedAt.getTime()) / DAY_MS) + 1) : 0;
  const { lotId } = await earn(tx, member, bonus, { ...program.settings, pendingDays }, shop.timezone, {
    reason: "Signup bonus",
    sourceType: "signup",
    sourceId: profile.customerId,
    programVersionId: program.version.id,
    idempotencyKey: key,
    occurredAt: joinedAt,
  });
  if (held) {
    await tx.lot.update({ where: { id: lotId }, data: { availableAt: joinedAt } });
    await holdSignupBonus(tx, shop, { memberId: member.id, check, lotId });
    return { outcome: "applied", detail: `signup bonus of ${bonus} points, held for review (signup_farming)` };
  }
  return { outcome: "applied", detail: `signup bonus of ${bonus} points` };
}
