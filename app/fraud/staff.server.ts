import type { ReviewCase } from "../generated/prisma/client";
import type { Tx } from "../db/transaction.server";
import { holdInReview } from "./review.server";
import { fraudSettingsFor } from "./settings.server";
import { DAY_MS, type Signal } from "./signals";
import { type Adjustment, staffOutliers } from "./staff-outlier";
import type { Thresholds } from "./thresholds";

/** The audit action of a staff adjustment: the record the staff-outlier rule reads. */
export const ADJUSTED_ACTION = "member.adjusted";

/**
 * Staff adjustments in the rule's window up to `now`, from the audit log (who made each, for whom, how many points).
 * The one reading of them: the daily scan (scan.server.ts) and the check at adjustment time should both use it.
 */
export async function staffAdjustments(tx: Tx, shopId: string, now: Date, t: Thresholds): Promise<Adjustment[]> {
  const since = new Date(now.getTime() - t.staffOutlier.windowDays * DAY_MS);
  const rows = await tx.auditLog.findMany({
    where: { shopId, action: ADJUSTED_ACTION, createdAt: { gt: since, lte: now } },
    select: { actor: true, subject: true, after: true, createdAt: true },
  });
  const customers = [...new Set(rows.map((r) => (r.subject ?? "").replace(/^customer /, "")))];
  const members = new Map(
    (
      await tx.member.findMany({
        where: { shopId, customerId: { in: customers } },
        select: { id: true, customerId: true },
      })
    ).map((m) => [m.customerId, m.id]),
  );
  return rows.flatMap((r) => {
    const memberId = members.get((r.subject ?? "").replace(/^customer /, ""));
    const points = Number((r.after as { points?: unknown } | null)?.points ?? 0);
    return memberId ? [{ staffId: r.actor, memberId, at: r.createdAt.getTime(), points }] : [];
  });
}

/** The case key of a staff member's outlier finding in the window-long period `now` falls in (as the scan keys it). */
export function staffOutlierCaseKey(staffId: string, now: Date, t: Thresholds): string {
  const period = Math.floor(now.getTime() / (t.staffOutlier.windowDays * DAY_MS));
  return `staff:${staffId}:staff_outlier:${period}`;
}

export interface StaffAdjustmentCheck {
  signal: Signal;
  thresholds: Thresholds;
  /** When the adjustment is made: the period its case is keyed by. */
  at: Date;
}

/**
 * The staff-outlier rule on a positive adjustment about to be made, with that adjustment counted: the signal that
 * holds it when its staff member is an outlier at the shop's hold level, else null (also when the shop switched
 * detection or the rule off, and for a removal of points, which is never held).
 */
export async function checkStaffAdjustment(
  tx: Tx,
  shopId: string,
  adjustment: Adjustment,
): Promise<StaffAdjustmentCheck | null> {
  if (adjustment.points <= 0) return null;
  const { enabled, thresholds } = await fraudSettingsFor(tx, shopId);
  if (!enabled || !thresholds.staffOutlier.enabled) return null;
  const now = new Date(adjustment.at);
  const made = await staffAdjustments(tx, shopId, now, thresholds);
  const signal = staffOutliers([...made, adjustment], [], adjustment.at, thresholds.staffOutlier).find(
    (s) => s.evidence.staffIds[0] === adjustment.staffId && s.score >= thresholds.holdAtScore,
  );
  return signal ? { signal, thresholds, at: now } : null;
}

/**
 * Holds a flagged adjustment's lot (pending, earned in the same transaction) under the staff member's case for the
 * period. A case names one member, and approving it activates its lots for that member, so the case collects the
 * staff member's held adjustments to one customer: the first customer's under the scan's key (so the daily scan
 * opens no second case for the same finding), each other customer's under that key and the member. A case already
 * decided holds nothing more: a later adjustment opens a case of its own. Never blocks anyone. Returns the case.
 */
export async function holdStaffAdjustment(
  tx: Tx,
  input: { shopId: string; memberId: string; lotId: string; adjustmentKey: string; check: StaffAdjustmentCheck },
): Promise<ReviewCase> {
  const { signal, thresholds, at } = input.check;
  const base = staffOutlierCaseKey(signal.evidence.staffIds[0], at, thresholds);
  // One staff member's holds choose their case one at a time.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`${input.shopId}:${base}`}))`;
  let caseKey = `${base}:adjustment:${input.adjustmentKey}`;
  for (const key of [base, `${base}:member:${input.memberId}`]) {
    const found = await tx.reviewCase.findUnique({
      where: { shopId_caseKey: { shopId: input.shopId, caseKey: key } },
      select: { memberId: true, status: true },
    });
    if (!found || (found.memberId === input.memberId && found.status === "open")) {
      caseKey = key;
      break;
    }
  }
  const opened = await holdInReview(tx, {
    shopId: input.shopId,
    memberId: input.memberId,
    caseKey,
    signal,
    lotIds: [input.lotId],
  });
  const lot = await tx.lot.findUniqueOrThrow({ where: { id: input.lotId }, select: { heldByCaseId: true } });
  // The daily scan may have opened the key for another customer in the meantime: then this is not held; roll back.
  if (opened.memberId !== input.memberId || lot.heldByCaseId !== opened.id) {
    throw new Error(`staff adjustment ${input.adjustmentKey} could not be held under ${caseKey}; try again`);
  }
  return opened;
}
