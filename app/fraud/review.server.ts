import type { Prisma, ReviewCase } from "../generated/prisma/client";
import type { Tx } from "../db/transaction.server";
import { activate, reverse } from "../ledger/ledger.server";
import { announceOrderPoints } from "../ledger/lot-schedule.server";
import { lockMemberById } from "../members/members.server";
import { recordMessage } from "../notifications/outbox.server";
import { recordWebhookEvent } from "../outgoing-webhooks/record.server";
import type { Signal } from "./signals";

export class ReviewRefused extends Error {
  constructor(
    readonly status: 403 | 404 | 409 | 422,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Opens a review case for a signal and holds the given pending lots under it: their points stay pending (counted
 * nowhere as spendable) and the scheduled activation skips them until staff decide. Idempotent by `caseKey`: a
 * retried webhook finds the case it opened. Only lots not yet spendable can be held. Returns the case.
 */
export async function holdInReview(
  tx: Tx,
  input: { shopId: string; memberId: string; caseKey: string; signal: Signal; orderId?: string; lotIds: string[] },
): Promise<ReviewCase> {
  const { signal } = input;
  const inserted = await tx.$executeRaw`
    INSERT INTO "ReviewCase" (id, "shopId", "memberId", "caseKey", rule, code, score, summary, evidence, "orderId")
    VALUES (gen_random_uuid()::text, ${input.shopId}, ${input.memberId}, ${input.caseKey}, ${signal.rule},
            ${signal.code}, ${signal.score}, ${signal.summary}, ${JSON.stringify(signal.evidence)}::jsonb,
            ${input.orderId ?? null})
    ON CONFLICT ("shopId", "caseKey") DO NOTHING`;
  const opened = await tx.reviewCase.findUniqueOrThrow({
    where: { shopId_caseKey: { shopId: input.shopId, caseKey: input.caseKey } },
  });
  if (inserted > 0) {
    await recordWebhookEvent(tx, {
      shopId: input.shopId,
      memberId: input.memberId,
      event: "review_case.opened",
      eventKey: `review_case:${opened.id}:opened`,
      occurredAt: opened.createdAt,
      data: { caseId: opened.id, rule: signal.rule, code: signal.code, score: signal.score, orderId: opened.orderId },
    });
  }
  if (opened.status !== "open" || input.lotIds.length === 0) return opened;
  await tx.lot.updateMany({
    where: { id: { in: input.lotIds }, memberId: input.memberId, activatedAt: null, heldByCaseId: null },
    data: { heldByCaseId: opened.id },
  });
  const held = await tx.lot.aggregate({ where: { heldByCaseId: opened.id }, _sum: { remaining: true } });
  return tx.reviewCase.update({ where: { id: opened.id }, data: { points: held._sum.remaining ?? 0 } });
}

/** Whether `actor` is the staff member a staff-outlier case is about: nobody decides a case about themselves. */
export function isOwnStaffCase(reviewCase: Pick<ReviewCase, "rule" | "evidence">, actor: string): boolean {
  if (reviewCase.rule !== "staff_outlier") return false;
  const staffIds = (reviewCase.evidence as { staffIds?: unknown } | null)?.staffIds;
  return Array.isArray(staffIds) && staffIds.includes(actor);
}

/**
 * Staff decide a case. Approve releases its lots: each becomes spendable now if its return window is over, else
 * when it ends. Reject takes their points back with a reversal entry per lot (keyed by case and lot), so the ledger,
 * the cached balance and the lots stay equal. Audited with the staff member and the reason; a decided case is final.
 */
export async function decideCase(
  tx: Tx,
  input: {
    shopId: string;
    caseId: string;
    decision: "approve" | "reject";
    actor: string;
    reason: string | null;
    now?: Date;
  },
): Promise<ReviewCase> {
  const now = input.now ?? new Date();
  const [locked] = await tx.$queryRaw<ReviewCase[]>`
    SELECT * FROM "ReviewCase" WHERE id = ${input.caseId} AND "shopId" = ${input.shopId} FOR UPDATE`;
  if (!locked) throw new ReviewRefused(404, "no such review case in this shop");
  if (locked.status !== "open") throw new ReviewRefused(409, `the case was already ${locked.status}`);
  if (isOwnStaffCase(locked, input.actor)) {
    throw new ReviewRefused(403, "a staff member cannot decide a case about their own adjustments");
  }
  const reason = input.reason?.trim() || null;
  if (input.decision === "reject" && !reason) throw new ReviewRefused(422, "a rejection needs a reason");

  let member = await lockMemberById(tx, locked.memberId);
  const lots = await tx.lot.findMany({ where: { heldByCaseId: locked.id }, orderBy: { earnedAt: "asc" } });
  for (const lot of lots) {
    if (input.decision === "approve") {
      await tx.lot.update({ where: { id: lot.id }, data: { heldByCaseId: null } });
      if (lot.activatedAt === null && lot.availableAt <= now) {
        await activate(tx, member, lot, now);
        member = await lockMemberById(tx, member.id);
        // A held earn told the member nothing; spendable now, it is announced as it would have been unheld.
        if (lot.orderId) await announceOrderPoints(tx, lot.shopId, member.id, lot.orderId);
        else if (locked.rule === "birthday_rebonus") {
          await recordMessage(tx, {
            shopId: lot.shopId,
            memberId: member.id,
            kind: "birthday",
            eventKey: locked.caseKey,
            data: { points: lot.amount },
          });
        }
      }
    } else {
      if (lot.remaining > 0) {
        await reverse(tx, member, lot.remaining, [{ lotId: lot.id, points: lot.remaining }], {
          reason: `Review rejected (${locked.rule}): ${reason}`,
          sourceType: "staff",
          sourceId: locked.id,
          orderId: lot.orderId ?? undefined,
          idempotencyKey: `review:${locked.id}:reject:${lot.id}`,
          occurredAt: now,
        });
        member = await lockMemberById(tx, member.id);
      }
      await tx.lot.update({ where: { id: lot.id }, data: { heldByCaseId: null } });
    }
  }
  const status = input.decision === "approve" ? "approved" : "rejected";
  const decided = await tx.reviewCase.update({
    where: { id: locked.id },
    data: { status, decidedBy: input.actor, decidedAt: now, decisionReason: reason },
  });
  await tx.auditLog.create({
    data: {
      shopId: input.shopId,
      actor: input.actor,
      action: `review.${status}`,
      subject: `review case ${locked.id}`,
      before: { status: locked.status, points: locked.points } as Prisma.InputJsonValue,
      after: { status, reason, lots: lots.map((lot) => lot.id) } as Prisma.InputJsonValue,
    },
  });
  return decided;
}
