import type { Shop } from "../generated/prisma/client";
import type { Tx } from "../db/transaction.server";
import { setMemberBlocked } from "../members/staff-actions.server";
import { AUTO_ACTOR, autoBlockReason } from "./baseline.server";
import { type Decision, evaluateBirthdayBonus } from "./detect";
import { holdInReview } from "./review.server";
import { fraudSettingsFor } from "./settings.server";
import type { Thresholds } from "./thresholds";

/** The audit action of a member's birthday change: the record `birthdayRebonus` reads. */
export const BIRTHDAY_CHANGE_ACTION = "member.birthday";

/**
 * Records a birthday change in the audit log (subject: the member id), in the caller's transaction. The caller
 * records only actual changes; `at` is when the change was made.
 */
export async function recordBirthdayChange(
  tx: Tx,
  input: { shopId: string; memberId: string; actor: string; from: string | null; to: string; at: Date },
): Promise<void> {
  await tx.auditLog.create({
    data: {
      shopId: input.shopId,
      actor: input.actor,
      action: BIRTHDAY_CHANGE_ACTION,
      subject: input.memberId,
      before: { birthday: input.from },
      after: { birthday: input.to },
      createdAt: input.at,
    },
  });
}

export interface BirthdayBonusCheck {
  decision: Decision;
  thresholds: Thresholds;
}

/**
 * The birthday rebonus rule on a bonus about to be awarded at `now`, with its inputs read from the database: when the
 * member's previous birthday bonus was earned (their latest `birthday:<memberId>:<year>` entry) and the birthday
 * changes recorded since. Null when the shop switched detection off.
 */
export async function checkBirthdayBonus(
  tx: Tx,
  shopId: string,
  memberId: string,
  now: Date,
): Promise<BirthdayBonusCheck | null> {
  const { enabled, thresholds } = await fraudSettingsFor(tx, shopId);
  if (!enabled) return null;
  const none: BirthdayBonusCheck = { decision: evaluateBirthdayBonus(noBonus(memberId, now), thresholds), thresholds };
  if (!thresholds.birthday.enabled) return none;
  const last = await tx.ledgerEntry.findFirst({
    where: { shopId, memberId, idempotencyKey: { startsWith: `birthday:${memberId}:` }, occurredAt: { lt: now } },
    orderBy: { occurredAt: "desc" },
    select: { occurredAt: true },
  });
  if (!last) return none;
  const rows = await tx.auditLog.findMany({
    where: {
      shopId,
      action: BIRTHDAY_CHANGE_ACTION,
      subject: memberId,
      createdAt: { gt: last.occurredAt, lte: now },
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { createdAt: true, before: true, after: true },
  });
  const changes = rows.map((row) => ({
    at: row.createdAt.getTime(),
    from: birthdayIn(row.before),
    to: birthdayIn(row.after) ?? "",
  }));
  const decision = evaluateBirthdayBonus(
    { memberId, now: now.getTime(), lastBonusAt: last.occurredAt.getTime(), changes },
    thresholds,
  );
  return { decision, thresholds };
}

const noBonus = (memberId: string, now: Date) => ({ memberId, now: now.getTime(), lastBonusAt: null, changes: [] });

function birthdayIn(json: unknown): string | null {
  const value = (json as { birthday?: unknown } | null)?.birthday;
  return typeof value === "string" ? value : null;
}

/**
 * Holds a flagged birthday bonus's lot (pending, earned in the same transaction) under a case keyed `caseKey`
 * (`birthday:<memberId>:<year>`, so a rerun of the job opens none), as `holdFlaggedEarn` holds an order's: the
 * strongest signal at the hold level holds the lot, others are opened beside it. Blocks the member when the merchant
 * set an automatic block level and the score reaches it. Returns the rules that hold.
 */
export async function holdBirthdayBonus(
  tx: Tx,
  shop: Shop,
  input: { memberId: string; caseKey: string; check: BirthdayBonusCheck; lotId: string },
): Promise<string[]> {
  const { decision, thresholds } = input.check;
  const holding = decision.signals.filter((s) => s.score >= thresholds.holdAtScore);
  for (const [i, signal] of holding.entries()) {
    await holdInReview(tx, {
      shopId: shop.id,
      memberId: input.memberId,
      caseKey: i === 0 ? input.caseKey : `${input.caseKey}:${signal.rule}`,
      signal,
      lotIds: i === 0 ? [input.lotId] : [],
    });
  }
  if (decision.block && holding.length > 0) {
    await setMemberBlocked(tx, shop, input.memberId, true, autoBlockReason(holding[0]), AUTO_ACTOR);
  }
  return holding.map((s) => s.rule);
}
