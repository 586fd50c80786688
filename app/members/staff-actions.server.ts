import type { Shop } from "../generated/prisma/client";
import { adjust, AdjustmentRefused, findEntry } from "../ledger/ledger.server";
import { lockMemberById } from "./members.server";
import { currentProgram } from "../shops/shops.server";
import type { Tx } from "../db/transaction.server";

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

/** Adds or removes points by hand, with the staff member and reason on the entry and in the audit log. */
export async function adjustMember(
  tx: Tx,
  shop: Shop,
  memberId: string,
  adjustment: Adjustment,
  actor: string,
  now = new Date(),
): Promise<{ applied: boolean }> {
  const idempotencyKey = `staff:${adjustment.key}`;
  if (await findEntry(tx, shop.id, idempotencyKey)) return { applied: false };
  const member = await lockMemberById(tx, memberId);
  if (member.shopId !== shop.id) throw new AdjustmentRefused("no such customer in this shop");
  const { settings, version } = await currentProgram(tx, shop);
  await adjust(tx, member, adjustment.points, settings, shop.timezone, {
    reason: `${adjustment.reason} (by ${actor})`,
    sourceType: "staff",
    sourceId: actor,
    programVersionId: version.id,
    idempotencyKey,
    occurredAt: now,
  });
  await tx.auditLog.create({
    data: {
      shopId: shop.id,
      actor,
      action: "member.adjusted",
      subject: `customer ${member.customerId}`,
      before: { available: member.pointsAvailable },
      after: {
        available: member.pointsAvailable + adjustment.points,
        points: adjustment.points,
        reason: adjustment.reason,
      },
    },
  });
  return { applied: true };
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
