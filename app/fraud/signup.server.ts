import type { Shop } from "../generated/prisma/client";
import type { Tx } from "../db/transaction.server";
import { setMemberBlocked } from "../members/staff-actions.server";
import { AUTO_ACTOR, autoBlockReason } from "./baseline.server";
import { type Decision, decide } from "./detect";
import { holdInReview } from "./review.server";
import { fraudSettingsFor } from "./settings.server";
import { HOUR_MS } from "./signals";
import { type NewMember, signupFarming } from "./signup-farming";
import type { Thresholds } from "./thresholds";

/**
 * The members the signup-farming rule reads: those created in the shop from one signup window before `since` (the
 * last scan; `now` when none) up to `now`, so a burst that straddles two scans is seen whole. The daily scan and the
 * earn-time check on a signup bonus read the same rows, so they judge a member alike.
 */
export async function newMembers(
  tx: Tx,
  shopId: string,
  now: Date,
  since: Date | null,
  t: Thresholds,
): Promise<NewMember[]> {
  const window = t.signupFarming.windowHours * HOUR_MS;
  const from = Math.min(now.getTime(), since?.getTime() ?? now.getTime()) - window;
  const rows = await tx.member.findMany({
    where: { shopId, createdAt: { gt: new Date(from), lte: now }, redactedAt: null },
    select: { id: true, createdAt: true, email: true, phoneKey: true, addressKey: true },
  });
  // The phone and address as keys (HMACs of the normalised values): the rule compares them as they are.
  return rows.map((m) => ({
    memberId: m.id,
    createdAt: m.createdAt.getTime(),
    email: m.email,
    phoneKey: m.phoneKey,
    addressKey: m.addressKey,
  }));
}

/** The case a member's signup farming is filed under, by the daily scan and at the bonus alike: one per member. */
export const signupFarmingCaseKey = (memberId: string) => `member:${memberId}:signup_farming`;

export interface SignupBonusCheck {
  decision: Decision;
  thresholds: Thresholds;
}

/**
 * The signup-farming rule on a signup bonus about to be paid to `memberId` at `now`: the shop's new members in the
 * window before `now` (the scan's `newMembers`), the member among them. Only the signal naming this member counts.
 * Null when the shop switched detection off.
 *
 * Takes a per-shop transaction lock first, so signups checked at once are checked one after another: each member
 * row is written before the lock is taken, so the later of two concurrent signups sees the earlier one's member.
 */
export async function checkSignupBonus(
  tx: Tx,
  shopId: string,
  memberId: string,
  now: Date,
): Promise<SignupBonusCheck | null> {
  const { enabled, thresholds } = await fraudSettingsFor(tx, shopId);
  if (!enabled) return null;
  if (!thresholds.signupFarming.enabled) return { decision: decide([], thresholds), thresholds };
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`signup-farming:${shopId}`}))`;
  // The member was created a moment ago by this very transaction's clock: read up to whichever is later.
  const created = await tx.member.findUnique({ where: { id: memberId }, select: { createdAt: true } });
  const until = created && created.createdAt > now ? created.createdAt : now;
  const members = await newMembers(tx, shopId, until, null, thresholds);
  const signals = signupFarming(members, thresholds.signupFarming).filter((s) =>
    s.evidence.memberIds.includes(memberId),
  );
  return { decision: decide(signals, thresholds), thresholds };
}

/**
 * Holds a flagged signup bonus's lot (pending, earned in the same transaction) under the member's signup-farming
 * case, the key the daily scan uses, so the scan opens no second case for them. Blocks the member when the merchant
 * set an automatic block level and the score reaches it. Returns whether the lot is held.
 */
export async function holdSignupBonus(
  tx: Tx,
  shop: Shop,
  input: { memberId: string; check: SignupBonusCheck; lotId: string },
): Promise<boolean> {
  const { decision, thresholds } = input.check;
  const signal = decision.signals.find((s) => s.score >= thresholds.holdAtScore);
  if (!signal) return false;
  await holdInReview(tx, {
    shopId: shop.id,
    memberId: input.memberId,
    caseKey: signupFarmingCaseKey(input.memberId),
    signal,
    lotIds: [input.lotId],
  });
  if (decision.block) await setMemberBlocked(tx, shop, input.memberId, true, autoBlockReason(signal), AUTO_ACTOR);
  return true;
}
