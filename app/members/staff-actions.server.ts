import type { Shop } from "../generated/prisma/client";
import { checkStaffAdjustment, holdStaffAdjustment } from "../fraud/staff.server";
import { DAY_MS } from "../fraud/signals";
import { adjust, AdjustmentRefused, earn, type EntrySource, findEntry } from "../ledger/ledger.server";
import { lockMemberById } from "./members.server";
import { currentProgram } from "../shops/shops.server";
import type { Tx } from "../db/transaction.server";
import { decideApproval, needsApproval, type StaffRules, type StaffStanding } from "../staff/permissions";

export { AdjustmentRefused };

export interface Adjustment {
  points: number;
  reason: string;
  /** Made once per form: a double-submitted or retried adjustment applies once. */
  key: string;
}

/** Parses a staff adjustment; every problem is named, nothing is guessed. */
export function parseAdjustment(input: Record<string, unknown>): Adjustment | { error: string } {
  const points = typeof input.points === "string" ? input.points.trim() : String(input.points ?? "");
  const reason = typeof input.reason === "string" ? input.reason.trim() : "";
  const key = typeof input.key === "string" ? input.key : "";
  if (!/^[+-]?\d{1,9}$/.test(points) || Number(points) === 0) {
    return { error: "Points must be a whole number other than 0 (negative to remove points)." };
  }
  if (reason.length < 3) return { error: "Give a reason for the adjustment; the customer's passbook shows it." };
  if (reason.length > 500) return { error: "Keep the reason under 500 characters." };
  if (!/^[\w-]{8,100}$/.test(key)) return { error: "The form expired; reload the page and try again." };
  return { points: Number(points), reason, key };
}

/**
 * Adds or removes points by hand, with the staff member and reason on the entry and in the audit log. A credit by a
 * staff member whose adjustments are far above the other staff's (the staff-outlier rule, this credit counted) is
 * earned into a pending lot held for review under that staff member's case (`held`: the case id) instead of being
 * spendable at once; approving the case makes it spendable. Removing points is never held.
 */
export async function adjustMember(
  tx: Tx,
  shop: Shop,
  memberId: string,
  adjustment: Adjustment,
  actor: string,
  now = new Date(),
  approvedBy?: string,
): Promise<{ applied: boolean; held?: string }> {
  const idempotencyKey = `staff:${adjustment.key}`;
  if (await findEntry(tx, shop.id, idempotencyKey)) return { applied: false };
  const member = await lockMemberById(tx, memberId);
  if (member.shopId !== shop.id) throw new AdjustmentRefused("no such customer in this shop");
  const { settings, version } = await currentProgram(tx, shop);
  const source: EntrySource = {
    reason: `${adjustment.reason} (by ${actor}${approvedBy ? `, approved by ${approvedBy}` : ""})`,
    sourceType: "staff",
    sourceId: actor,
    programVersionId: version.id,
    idempotencyKey,
    occurredAt: now,
  };
  const check = await checkStaffAdjustment(tx, shop.id, {
    staffId: actor,
    memberId: member.id,
    at: now.getTime(),
    points: adjustment.points,
  });
  let held: string | undefined;
  if (check) {
    // Held: pending (earn makes a lot pending only if it becomes available later than the clock), then its
    // availableAt set back to the adjustment, so approving the case makes it spendable at once.
    const pendingDays = Math.max(1, Math.ceil((Date.now() - now.getTime()) / DAY_MS) + 1);
    const { lotId } = await earn(
      tx,
      member,
      adjustment.points,
      { ...settings, pendingDays },
      shop.timezone,
      source,
      "adjust",
    );
    await tx.lot.update({ where: { id: lotId }, data: { availableAt: now } });
    held = (
      await holdStaffAdjustment(tx, {
        shopId: shop.id,
        memberId: member.id,
        lotId,
        adjustmentKey: adjustment.key,
        check,
      })
    ).id;
  } else {
    await adjust(tx, member, adjustment.points, settings, shop.timezone, source);
  }
  await tx.auditLog.create({
    data: {
      shopId: shop.id,
      actor,
      action: "member.adjusted",
      subject: `customer ${member.customerId}`,
      before: { available: member.pointsAvailable },
      after: {
        available: member.pointsAvailable + (held ? 0 : adjustment.points),
        points: adjustment.points,
        reason: adjustment.reason,
        ...(approvedBy ? { approvedBy } : {}),
        ...(held ? { heldByCase: held } : {}),
      },
      createdAt: now,
    },
  });
  return held ? { applied: true, held } : { applied: true };
}

/** Refused by the four-eyes rule: the status to answer and the reason. */
export class ApprovalRefused extends Error {
  constructor(
    message: string,
    readonly status: 403 | 404 | 409,
  ) {
    super(message);
  }
}

/**
 * A staff adjustment under the shop's rules: within the limit it applies now; above it (four eyes) it waits, once per
 * form key, for a different staff member to approve it.
 */
export async function requestAdjustment(
  tx: Tx,
  shop: Shop,
  memberId: string,
  adjustment: Adjustment,
  actor: string,
  rules: StaffRules,
  now = new Date(),
): Promise<{ applied: boolean; held?: string } | { pending: string }> {
  if (!needsApproval(adjustment.points, rules)) return adjustMember(tx, shop, memberId, adjustment, actor, now);
  if (await findEntry(tx, shop.id, `staff:${adjustment.key}`)) return { applied: false };
  const asked = await tx.adjustmentApproval.findUnique({
    where: { shopId_key: { shopId: shop.id, key: adjustment.key } },
  });
  if (asked) return { pending: asked.id };
  const member = await lockMemberById(tx, memberId);
  if (member.shopId !== shop.id) throw new AdjustmentRefused("no such customer in this shop");
  const approval = await tx.adjustmentApproval.create({
    data: {
      shopId: shop.id,
      memberId: member.id,
      points: adjustment.points,
      reason: adjustment.reason,
      key: adjustment.key,
      requestedBy: actor,
      createdAt: now,
    },
  });
  await tx.auditLog.create({
    data: {
      shopId: shop.id,
      actor,
      action: "member.adjustment_requested",
      subject: `customer ${member.customerId}`,
      after: { approval: approval.id, points: adjustment.points, reason: adjustment.reason, limit: rules.adjustLimit },
    },
  });
  return { pending: approval.id };
}

/**
 * Approves or declines a waiting adjustment. Only a different staff member who may adjust points decides; an approval
 * applies the adjustment through the usual path under the form's key, so it applies once however often it is sent.
 */
export async function decideAdjustment(
  tx: Tx,
  shop: Shop,
  approvalId: string,
  approve: boolean,
  decider: { actor: string; standing: StaffStanding; rules: StaffRules },
  now = new Date(),
): Promise<{ applied: boolean; held?: string; status: "approved" | "declined" }> {
  await tx.$queryRaw`SELECT id FROM "AdjustmentApproval" WHERE id = ${approvalId} FOR UPDATE`;
  const approval = await tx.adjustmentApproval.findFirst({ where: { id: approvalId, shopId: shop.id } });
  if (!approval) throw new ApprovalRefused("No such adjustment waiting for approval in this shop.", 404);
  const decision = decideApproval(approval.requestedBy, decider.actor, decider.standing, decider.rules);
  if (!decision.allowed) throw new ApprovalRefused(decision.reason, 403);
  if (approval.status !== "pending") {
    const wanted = approve ? "approved" : "declined";
    if (approval.status === wanted) return { applied: false, status: wanted };
    throw new ApprovalRefused(`This adjustment was already ${approval.status}.`, 409);
  }
  let applied = false;
  let held: string | undefined;
  if (approve) {
    const adjustment = { points: approval.points, reason: approval.reason, key: approval.key };
    // The requester's adjustment: held when the requester is an outlier, whoever approved it.
    ({ applied, held } = await adjustMember(
      tx,
      shop,
      approval.memberId,
      adjustment,
      approval.requestedBy,
      now,
      decider.actor,
    ));
  }
  await tx.adjustmentApproval.update({
    where: { id: approval.id },
    data: { status: approve ? "approved" : "declined", decidedBy: decider.actor, decidedAt: now },
  });
  await tx.auditLog.create({
    data: {
      shopId: shop.id,
      actor: decider.actor,
      action: approve ? "member.adjustment_approved" : "member.adjustment_declined",
      subject: `approval ${approval.id}`,
      before: { status: "pending", requestedBy: approval.requestedBy },
      after: { status: approve ? "approved" : "declined", points: approval.points, reason: approval.reason },
    },
  });
  return { applied, ...(held ? { held } : {}), status: approve ? "approved" : "declined" };
}

/** Adjustments waiting for a second staff member, oldest first. */
export async function pendingAdjustments(tx: Tx, shopId: string) {
  const rows = await tx.adjustmentApproval.findMany({
    where: { shopId, status: "pending" },
    orderBy: { createdAt: "asc" },
    take: 100,
  });
  const members = await tx.member.findMany({
    where: { id: { in: rows.map((row) => row.memberId) } },
    select: { id: true, customerId: true },
  });
  const customer = new Map(members.map((m) => [m.id, m.customerId]));
  return rows.map((row) => ({
    id: row.id,
    memberId: row.memberId,
    customerId: customer.get(row.memberId) ?? "",
    points: row.points,
    reason: row.reason,
    requestedBy: row.requestedBy,
    createdAt: row.createdAt.toISOString(),
  }));
}

/** Blocks a member from earning and redeeming, or lifts the block; recorded in the audit log. */
export async function setMemberBlocked(
  tx: Tx,
  shop: Shop,
  memberId: string,
  blocked: boolean,
  reason: string,
  actor: string,
  now = new Date(),
): Promise<void> {
  const member = await lockMemberById(tx, memberId);
  if (member.shopId !== shop.id) throw new AdjustmentRefused("no such customer in this shop");
  if ((member.blockedAt !== null) === blocked) return;
  await tx.member.update({
    where: { id: member.id },
    data: { blockedAt: blocked ? now : null, blockedReason: blocked ? reason : null },
  });
  await tx.auditLog.create({
    data: {
      shopId: shop.id,
      actor,
      action: blocked ? "member.blocked" : "member.unblocked",
      subject: `customer ${member.customerId}`,
      before: { blocked: member.blockedAt !== null, reason: member.blockedReason },
      after: { blocked, reason: blocked ? reason : null },
    },
  });
}
