import { expiryInstant } from "../shared/calendar";
import { availableChange, reversalEffect, settleDebt, type EntryEffect } from "./balance";
import { planReversal, planSpend, type LotState, type OwnShare } from "./lots";
import type { ProgramSettings } from "../program/program";
import { randomUUID } from "node:crypto";
import { Prisma, type LedgerEntry, type LedgerKind, type Lot, type Member } from "../generated/prisma/client";
import type { Tx } from "../db/transaction.server";
import { recordLedgerEvent } from "../outgoing-webhooks/record.server";

const DAY_MS = 24 * 60 * 60 * 1000;

export interface EntrySource {
  reason: string;
  sourceType: "order" | "refund" | "signup" | "staff" | "import" | "job" | "reservation" | "reward" | "membership";
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
                          "lastActivityAt" = CASE WHEN ${kind === "earn" || kind === "redeem"}
                            THEN GREATEST(COALESCE("lastActivityAt", ${source.occurredAt}), ${source.occurredAt})
                            ELSE "lastActivityAt" END,
                          "updatedAt" = now()
      WHERE id = ${member.id}
    )${newLot}
    SELECT * FROM entry`;
  // Told to the shop's webhook subscriptions in the same transaction: the delivery exists if and only if the entry does.
  await recordLedgerEvent(tx, rows[0]);
  return rows[0];
}

export function findEntry(tx: Tx, shopId: string, idempotencyKey: string) {
  return tx.ledgerEntry.findUnique({ where: { shopId_idempotencyKey: { shopId, idempotencyKey } } });
}

/** When a lot earned at `at` expires; with inactivity expiry the balance expires as a whole instead (see expireInactiveBalances). */
function lotExpiry(program: ProgramSettings, at: Date, timezone: string): Date | null {
  if (program.expiryDays === null || program.expiryMode === "inactivity") return null;
  return expiryInstant(at, program.expiryDays, timezone);
}

/**
 * Earns points into a new lot. Debt is repaid first; the lot is pending for the program's return window
 * and expires at the end of the shop-local day its expiry period ends: the program's, or `expiresAfterDays`
 * for a lot with an expiry of its own (a campaign bonus), whatever the program's expiry mode. The member must
 * be locked by the caller.
 */
export async function earn(
  tx: Tx,
  member: Member,
  points: number,
  program: ProgramSettings,
  timezone: string,
  source: EntrySource,
  kind: "earn" | "adjust" = "earn",
  expiresAfterDays?: number,
): Promise<{ entry: LedgerEntry; lotId: string }> {
  const { repaid, intoLot } = settleDebt(member.pointsDebt, points);
  const availableAt = new Date(source.occurredAt.getTime() + program.pendingDays * DAY_MS);
  const pending = program.pendingDays > 0 && availableAt.getTime() > Date.now();
  const effect: EntryEffect = { points, pendingPoints: pending ? intoLot : 0, debtPoints: -repaid };
  const lotId = randomUUID();
  const expiresAt =
    expiresAfterDays === undefined
      ? lotExpiry(program, source.occurredAt, timezone)
      : expiryInstant(source.occurredAt, expiresAfterDays, timezone);
  const lot = Prisma.sql`, lot AS (
      INSERT INTO "Lot" (id, "shopId", "memberId", "earnEntryId", "orderId", amount, remaining, "earnedAt", "availableAt", "activatedAt", "expiresAt")
      SELECT ${lotId}, ${member.shopId}, ${member.id}, entry.id, ${source.orderId ?? null}, ${points}, ${intoLot},
             ${source.occurredAt}, ${availableAt}, ${pending ? null : availableAt}, ${expiresAt}
      FROM entry
    )`;
  const entry = await appendEntry(tx, member, kind, effect, source, lot);
  return { entry, lotId };
}

/**
 * Takes points back: from the order's own lots first (each up to its share, see `planReversal`), then other
 * lots; what nothing covers is recorded as debt, never dropped. The member must be locked by the caller.
 */
export async function reverse(
  tx: Tx,
  member: Member,
  points: number,
  own: string | null | OwnShare[],
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
  // Points held by a checkout reservation are spoken for: a reversal takes only what is available.
  const plan = planReversal(states, points, own, member.pointsAvailable);
  const entry = await appendEntry(tx, member, "reverse", reversalEffect(plan.takes, points), source);
  await takeFromLots(tx, entry.id, plan.takes);
  return entry;
}

/** Holds points for a checkout: out of available, still in their lots. The member must be locked. */
export function hold(tx: Tx, member: Member, points: number, source: EntrySource): Promise<LedgerEntry> {
  return appendEntry(
    tx,
    member,
    "reserve",
    { points: 0, pendingPoints: 0, debtPoints: 0, reservedPoints: points },
    source,
  );
}

/** Gives held points back to available. The member must be locked. */
export function unhold(tx: Tx, member: Member, points: number, source: EntrySource): Promise<LedgerEntry> {
  return appendEntry(
    tx,
    member,
    "release",
    { points: 0, pendingPoints: 0, debtPoints: 0, reservedPoints: -points },
    source,
  );
}

/**
 * Spends points on an order: `held` of them come out of a reservation's hold, and the points leave the lots
 * nearest to expiry first. Points the lots cannot cover (a stale reservation spent twice) become debt.
 * The member must be locked.
 */
export async function spend(
  tx: Tx,
  member: Member,
  points: number,
  held: number,
  source: EntrySource,
): Promise<LedgerEntry> {
  const plan = planSpend(await spendableLots(tx, member.id), points, member.pointsAvailable + held);
  const entry = await appendEntry(
    tx,
    member,
    "redeem",
    { points: -points, pendingPoints: 0, debtPoints: plan.shortfall, reservedPoints: -held },
    source,
  );
  await takeFromLots(tx, entry.id, plan.takes);
  return entry;
}

/**
 * Gives spent points back (a refunded or cancelled order paid with points): debt is repaid first, the rest
 * returns to the lots the redemption took them from; what no lot gave (a redemption charged as debt) comes
 * back as a lot of its own. The member must be locked.
 */
export async function restore(
  tx: Tx,
  member: Member,
  points: number,
  redeemEntryId: bigint | null,
  source: EntrySource,
) {
  const { repaid, intoLot } = settleDebt(member.pointsDebt, points);
  const taken = redeemEntryId
    ? await tx.lotAllocation.findMany({ where: { entryId: redeemEntryId }, orderBy: { id: "desc" } })
    : [];
  let left = intoLot;
  const gives: Array<{ lotId: string; points: number }> = [];
  for (const allocation of taken) {
    if (left === 0) break;
    const amount = Math.min(-allocation.points, left);
    gives.push({ lotId: allocation.lotId, points: amount });
    left -= amount;
  }
  const newLot =
    left > 0
      ? Prisma.sql`, lot AS (
          INSERT INTO "Lot" (id, "shopId", "memberId", "earnEntryId", "orderId", amount, remaining, "earnedAt", "availableAt", "activatedAt")
          SELECT ${randomUUID()}, ${member.shopId}, ${member.id}, entry.id, ${source.orderId ?? null}, ${left}, ${left},
                 ${source.occurredAt}, ${source.occurredAt}, ${source.occurredAt}
          FROM entry
        )`
      : Prisma.empty;
  const entry = await appendEntry(
    tx,
    member,
    "reverse",
    { points, pendingPoints: 0, debtPoints: -repaid },
    source,
    newLot,
  );
  for (const give of gives) {
    await tx.lot.update({ where: { id: give.lotId }, data: { remaining: { increment: give.points } } });
  }
  if (gives.length > 0) await tx.lotAllocation.createMany({ data: gives.map((g) => ({ entryId: entry.id, ...g })) });
  return entry;
}

/** The member's lots that still hold spendable points (activated, not empty). */
async function spendableLots(tx: Tx, memberId: string): Promise<LotState[]> {
  const lots = await tx.lot.findMany({ where: { memberId, remaining: { gt: 0 }, activatedAt: { not: null } } });
  return lots.map((lot) => ({
    id: lot.id,
    remaining: lot.remaining,
    earnedAt: lot.earnedAt,
    expiresAt: lot.expiresAt,
    pending: false,
  }));
}

async function takeFromLots(tx: Tx, entryId: bigint, takes: Array<{ lotId: string; points: number }>) {
  for (const take of takes) {
    await tx.lot.update({ where: { id: take.lotId }, data: { remaining: { decrement: take.points } } });
  }
  if (takes.length > 0) {
    await tx.lotAllocation.createMany({
      data: takes.map((take) => ({ entryId, lotId: take.lotId, points: -take.points })),
    });
  }
}

/** Makes a pending lot spendable: its points move from pending to available. The member must be locked. */
export async function activate(tx: Tx, member: Member, lot: Lot, now: Date): Promise<void> {
  if (lot.remaining > 0) {
    await appendEntry(
      tx,
      member,
      "activate",
      { points: 0, pendingPoints: -lot.remaining, debtPoints: 0 },
      {
        reason: "Return window ended: points available",
        sourceType: "job",
        sourceId: lot.id,
        orderId: lot.orderId ?? undefined,
        idempotencyKey: `lot:${lot.id}:activate`,
        occurredAt: now,
      },
    );
  }
  await tx.lot.update({ where: { id: lot.id }, data: { activatedAt: now } });
}

/**
 * Expires what is left of a lot. Points a checkout holds are spoken for: only what is available expires
 * now, the rest when the reservation ends. Returns whether anything expired. The member must be locked.
 */
export async function expire(tx: Tx, member: Member, lot: Lot, now: Date): Promise<boolean> {
  const points = Math.min(lot.remaining, member.pointsAvailable);
  if (points <= 0) return false;
  const entry = await appendEntry(
    tx,
    member,
    "expire",
    { points: -points, pendingPoints: 0, debtPoints: 0 },
    {
      reason: "Points expired",
      sourceType: "job",
      sourceId: lot.id,
      orderId: lot.orderId ?? undefined,
      idempotencyKey: `lot:${lot.id}:expire:${lot.remaining}`,
      occurredAt: now,
    },
  );
  await takeFromLots(tx, entry.id, [{ lotId: lot.id, points }]);
  return true;
}

export class AdjustmentRefused extends Error {}

/**
 * A staff correction: added points go into a lot of their own (spendable at once, expiring as earned points
 * do); removed points leave the available lots nearest to expiry first and may not exceed what is available.
 * The member must be locked.
 */
export async function adjust(
  tx: Tx,
  member: Member,
  points: number,
  program: ProgramSettings,
  timezone: string,
  source: EntrySource,
): Promise<LedgerEntry> {
  if (!Number.isSafeInteger(points) || points === 0)
    throw new AdjustmentRefused("adjust by a whole number of points other than 0");
  if (points > 0) {
    return (await earn(tx, member, points, { ...program, pendingDays: 0 }, timezone, source, "adjust")).entry;
  }
  const removing = -points;
  if (removing > member.pointsAvailable) {
    throw new AdjustmentRefused(`cannot remove ${removing} points: only ${member.pointsAvailable} are available`);
  }
  const plan = planSpend(await spendableLots(tx, member.id), removing, member.pointsAvailable);
  const entry = await appendEntry(tx, member, "adjust", { points, pendingPoints: 0, debtPoints: 0 }, source);
  await takeFromLots(tx, entry.id, plan.takes);
  return entry;
}

export interface Credit {
  member: Member;
  points: number;
  reason: string;
  idempotencyKey: string;
  /** When this credit's lot expires: null never; absent, as the program's earned points do. */
  expiresAt?: Date | null;
}

/**
 * Adds points to many members at once (an import batch) with exactly the effect `adjust` has one by one:
 * debt is repaid first, the rest goes into a spendable lot of its own. A member may receive several credits (the
 * dated parts of one imported balance): debt is repaid from them in the order given. Three statements per batch
 * instead of three per credit. The members must be locked and each credit's key new.
 */
export async function creditMany(
  tx: Tx,
  credits: Credit[],
  program: ProgramSettings,
  timezone: string,
  source: Omit<EntrySource, "reason" | "idempotencyKey">,
): Promise<void> {
  if (credits.length === 0) return;
  const at = source.occurredAt;
  const programExpiry = lotExpiry(program, at, timezone);
  const debt = new Map(credits.map((credit) => [credit.member.id, credit.member.pointsDebt]));
  const rows = credits.map((credit) => {
    const { repaid, intoLot } = settleDebt(debt.get(credit.member.id)!, credit.points);
    debt.set(credit.member.id, debt.get(credit.member.id)! - repaid);
    const expiresAt = credit.expiresAt === undefined ? programExpiry : credit.expiresAt;
    return { ...credit, repaid, intoLot, lotId: randomUUID(), expiresAt };
  });
  await tx.$executeRaw`
    WITH input AS (
      SELECT * FROM unnest(${rows.map((r) => r.member.id)}::text[], ${rows.map((r) => r.points)}::int[],
                           ${rows.map((r) => r.repaid)}::int[], ${rows.map((r) => r.intoLot)}::int[],
                           ${rows.map((r) => r.reason)}::text[], ${rows.map((r) => r.idempotencyKey)}::text[],
                           ${rows.map((r) => r.lotId)}::text[], ${rows.map((r) => r.expiresAt?.toISOString() ?? null)}::timestamp[])
        AS i("memberId", points, repaid, "intoLot", reason, key, "lotId", "expiresAt")
    ), entries AS (
      INSERT INTO "LedgerEntry" ("shopId", "memberId", kind, points, "pendingPoints", "debtPoints", "reservedPoints",
                                 reason, "sourceType", "sourceId", "programVersionId", "idempotencyKey", "occurredAt")
      SELECT ${credits[0].member.shopId}, "memberId", 'adjust'::"LedgerKind", points, 0, -repaid, 0, reason,
             ${source.sourceType}, ${source.sourceId ?? null}, ${source.programVersionId ?? null}, key, ${at}
      FROM input
      RETURNING id, "idempotencyKey"
    ), lots AS (
      INSERT INTO "Lot" (id, "shopId", "memberId", "earnEntryId", amount, remaining, "earnedAt", "availableAt", "activatedAt", "expiresAt")
      SELECT i."lotId", ${credits[0].member.shopId}, i."memberId", e.id, i.points, i."intoLot", ${at}, ${at}, ${at}, i."expiresAt"
      FROM input i JOIN entries e ON e."idempotencyKey" = i.key
    )
    UPDATE "Member" m SET "pointsAvailable" = m."pointsAvailable" + s.points - s.repaid,
                          "pointsDebt" = m."pointsDebt" - s.repaid, "updatedAt" = now()
    FROM (SELECT "memberId", sum(points)::int AS points, sum(repaid)::int AS repaid FROM input GROUP BY "memberId") s
    WHERE m.id = s."memberId"`;
}

export interface Note {
  member: Member;
  reason: string;
  idempotencyKey: string;
  occurredAt: Date;
  calculation?: Prisma.InputJsonValue;
}

/**
 * Appends informational entries of 0 points (another app's history, shown in the passbook at its date): they move
 * no balance and no lot, so a history that repeats what a balance already holds never counts twice. A note whose
 * key is already in the ledger is skipped.
 */
export async function noteMany(
  tx: Tx,
  notes: Note[],
  source: Omit<EntrySource, "reason" | "idempotencyKey" | "occurredAt">,
): Promise<void> {
  if (notes.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "LedgerEntry" ("shopId", "memberId", kind, points, "pendingPoints", "debtPoints", "reservedPoints",
                               reason, "sourceType", "sourceId", "programVersionId", calculation, "idempotencyKey",
                               "occurredAt")
    SELECT ${notes[0].member.shopId}, i."memberId", 'adjust'::"LedgerKind", 0, 0, 0, 0, i.reason, ${source.sourceType},
           ${source.sourceId ?? null}, ${source.programVersionId ?? null}, i.calculation, i.key, i."occurredAt"
    FROM unnest(${notes.map((n) => n.member.id)}::text[], ${notes.map((n) => n.reason)}::text[],
                ${notes.map((n) => (n.calculation === undefined ? null : JSON.stringify(n.calculation)))}::jsonb[],
                ${notes.map((n) => n.idempotencyKey)}::text[], ${notes.map((n) => n.occurredAt.toISOString())}::timestamp[])
      AS i("memberId", reason, calculation, key, "occurredAt")
    ON CONFLICT ("shopId", "idempotencyKey") DO NOTHING`;
}
