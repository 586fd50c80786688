import { availableChange, reversalEffect, settleDebt, type EntryEffect } from "../core/balance";
import { planReversal, type LotState } from "../core/lots";
import type { ProgramSettings } from "../core/program";
import { randomUUID } from "node:crypto";
import { Prisma, type LedgerEntry, type LedgerKind, type Member } from "../generated/prisma/client";
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

/**
 * Appends one entry and moves the member's cached balance by exactly the entry's effect, in one
 * statement: the cache can never be written without its entry, nor the entry without the cache.
 */
async function appendEntry(
  tx: Tx,
  member: Member,
  kind: LedgerKind,
  effect: EntryEffect,
  source: EntrySource,
  newLot: Prisma.Sql = Prisma.empty,
): Promise<LedgerEntry> {
  const calculation = source.calculation === undefined ? null : JSON.stringify(source.calculation);
  const rows = await tx.$queryRaw<LedgerEntry[]>`
    WITH entry AS (
      INSERT INTO "LedgerEntry" ("shopId", "memberId", kind, points, "pendingPoints", "debtPoints", "reservedPoints",
                                 reason, "sourceType", "sourceId", "orderId", "programVersionId", calculation,
                                 "idempotencyKey", "occurredAt")
      VALUES (${member.shopId}, ${member.id}, ${kind}::"LedgerKind", ${effect.points}, ${effect.pendingPoints},
              ${effect.debtPoints}, ${effect.reservedPoints ?? 0}, ${source.reason}, ${source.sourceType}, ${source.sourceId ?? null},
              ${source.orderId ?? null}, ${source.programVersionId ?? null}, ${calculation}::jsonb,
              ${source.idempotencyKey}, ${source.occurredAt})
      RETURNING *
    ), balance AS (
      UPDATE "Member" SET "pointsAvailable" = "pointsAvailable" + ${availableChange(effect)},
                          "pointsPending" = "pointsPending" + ${effect.pendingPoints},
                          "pointsDebt" = "pointsDebt" + ${effect.debtPoints},
                          "pointsReserved" = "pointsReserved" + ${effect.reservedPoints ?? 0},
                          "updatedAt" = now()
      WHERE id = ${member.id}
    )${newLot}
    SELECT * FROM entry`;
  return rows[0];
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
  const lotId = randomUUID();
  const expiresAt =
    program.expiryDays === null ? null : new Date(source.occurredAt.getTime() + program.expiryDays * DAY_MS);
  const lot = Prisma.sql`, lot AS (
      INSERT INTO "Lot" (id, "shopId", "memberId", "earnEntryId", "orderId", amount, remaining, "earnedAt", "availableAt", "activatedAt", "expiresAt")
      SELECT ${lotId}, ${member.shopId}, ${member.id}, entry.id, ${source.orderId ?? null}, ${points}, ${intoLot},
             ${source.occurredAt}, ${availableAt}, ${pending ? null : availableAt}, ${expiresAt}
      FROM entry
    )`;
  const entry = await appendEntry(tx, member, "earn", effect, source, lot);
  return { entry, lotId };
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
