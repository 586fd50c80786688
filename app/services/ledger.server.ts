import { availableChange, reversalEffect, settleDebt, type EntryEffect } from "../core/balance";
import { planReversal, type LotState } from "../core/lots";
import type { ProgramSettings } from "../core/program";
import type { LedgerEntry, LedgerKind, Member, Prisma } from "../generated/prisma/client";
import type { Tx } from "./transaction.server";

const DAY_MS = 24 * 60 * 60 * 1000;

export interface EntrySource {
  reason: string;
  sourceType: "order" | "refund" | "signup" | "staff" | "import" | "job";
  sourceId?: string;
  orderId?: string;
  programVersionId?: string;
  calculation?: Prisma.InputJsonValue;
  idempotencyKey: string;
  occurredAt: Date;
}

/** Appends one entry and moves the member's cached balance by exactly the entry's effect. */
async function appendEntry(
  tx: Tx,
  member: Member,
  kind: LedgerKind,
  effect: EntryEffect,
  source: EntrySource,
): Promise<LedgerEntry> {
  const entry = await tx.ledgerEntry.create({
    data: {
      shopId: member.shopId,
      memberId: member.id,
      kind,
      points: effect.points,
      pendingPoints: effect.pendingPoints,
      debtPoints: effect.debtPoints,
      reason: source.reason,
      sourceType: source.sourceType,
      sourceId: source.sourceId,
      orderId: source.orderId,
      programVersionId: source.programVersionId,
      calculation: source.calculation,
      idempotencyKey: source.idempotencyKey,
      occurredAt: source.occurredAt,
    },
  });
  await tx.member.update({
    where: { id: member.id },
    data: {
      pointsAvailable: { increment: availableChange(effect) },
      pointsPending: { increment: effect.pendingPoints },
      pointsDebt: { increment: effect.debtPoints },
    },
  });
  return entry;
}

export function findEntry(tx: Tx, shopId: string, idempotencyKey: string) {
  return tx.ledgerEntry.findUnique({ where: { shopId_idempotencyKey: { shopId, idempotencyKey } } });
}

/**
 * Earns points into a new lot. Debt is repaid first; the lot is pending for the program's return window
 * and expires after its expiry period. The member must be locked by the caller.
 */
export async function earn(
  tx: Tx,
  member: Member,
  points: number,
  program: ProgramSettings,
  source: EntrySource,
): Promise<{ entry: LedgerEntry; lotId: string }> {
  const { repaid, intoLot } = settleDebt(member.pointsDebt, points);
  const availableAt = new Date(source.occurredAt.getTime() + program.pendingDays * DAY_MS);
  const pending = availableAt.getTime() > Date.now();
  const effect: EntryEffect = { points, pendingPoints: pending ? intoLot : 0, debtPoints: -repaid };
  const entry = await appendEntry(tx, member, "earn", effect, source);
  const lot = await tx.lot.create({
    data: {
      shopId: member.shopId,
      memberId: member.id,
      earnEntryId: entry.id,
      orderId: source.orderId,
      amount: points,
      remaining: intoLot,
      earnedAt: source.occurredAt,
      availableAt,
      activatedAt: pending ? null : availableAt,
      expiresAt: program.expiryDays === null ? null : new Date(source.occurredAt.getTime() + program.expiryDays * DAY_MS),
    },
  });
  return { entry, lotId: lot.id };
}

/**
 * Takes points back: from the order's own lot first, then other lots; what nothing covers is recorded as
 * debt, never dropped. The member must be locked by the caller.
 */
export async function reverse(
  tx: Tx,
  member: Member,
  points: number,
  ownLotId: string | null,
  source: EntrySource,
): Promise<LedgerEntry> {
  const lots = await tx.lot.findMany({ where: { memberId: member.id, remaining: { gt: 0 } } });
  const states: LotState[] = lots.map((lot) => ({
    id: lot.id,
    remaining: lot.remaining,
    earnedAt: lot.earnedAt,
    expiresAt: lot.expiresAt,
    pending: lot.activatedAt === null,
  }));
  const plan = planReversal(states, points, ownLotId);
  const entry = await appendEntry(tx, member, "reverse", reversalEffect(plan.takes, points), source);
  for (const take of plan.takes) {
    await tx.lot.update({ where: { id: take.lotId }, data: { remaining: { decrement: take.points } } });
  }
  if (plan.takes.length > 0) {
    await tx.lotAllocation.createMany({
      data: plan.takes.map((take) => ({ entryId: entry.id, lotId: take.lotId, points: -take.points })),
    });
  }
  return entry;
}
