import { recordMessage } from "../notifications/outbox.server";
import { recordWebhookEvent } from "../outgoing-webhooks/record.server";
import { withDefaults, type ProgramSettings } from "./program";
import { decideTier, qualifyingSince } from "./tiers";
import type { Member, PrismaClient } from "../generated/prisma/client";
import { earn, findEntry } from "../ledger/ledger.server";
import { lockMemberById } from "../members/members.server";
import type { Tx } from "../db/transaction.server";

/**
 * What counts toward a tier for a batch of members: merchandise spend kept (refunds and cancellations
 * out, orders from the shop's history before the install in), or points earned from orders net of reversals, in
 * the qualifying period.
 */
export async function qualifyingValues(tx: Tx, memberIds: string[], settings: ProgramSettings, since: Date | null) {
  const rows =
    settings.tiers.basis === "spend"
      ? await tx.$queryRaw<Array<{ memberId: string; value: bigint | null }>>`
          SELECT "memberId", SUM("baseMinor" - "refundedMinor") AS value FROM "Order"
          WHERE "memberId" = ANY(${memberIds}::text[]) AND status IN ('awarded', 'history') AND "cancelledAt" IS NULL
            AND (${since}::timestamp IS NULL OR "placedAt" >= ${since}::timestamp)
          GROUP BY "memberId"`
      : await tx.$queryRaw<Array<{ memberId: string; value: bigint | null }>>`
          SELECT "memberId", SUM("pointsEarned" - "pointsReversed") AS value FROM "Order"
          WHERE "memberId" = ANY(${memberIds}::text[]) AND status = 'awarded'
            AND (${since}::timestamp IS NULL OR "placedAt" >= ${since}::timestamp)
          GROUP BY "memberId"`;
  return new Map(rows.map((row) => [row.memberId, Number(row.value ?? 0)]));
}

/**
 * Re-evaluates every member's tier in shops that have tiers, a batch of members per transaction, each
 * under its member lock. A change is recorded with its reason; reaching a level for the first time
 * awards its bonus once (keyed by member and level). Returns the number of changes.
 */
export async function evaluateTiers(prisma: PrismaClient, now = new Date(), batch = 500): Promise<number> {
  let changes = 0;
  const shops = await prisma.shop.findMany({ select: { id: true, timezone: true } });
  for (const shop of shops) {
    const version = await prisma.programVersion.findFirst({ where: { shopId: shop.id }, orderBy: { version: "desc" } });
    if (!version) continue;
    const settings = withDefaults(version.settings as unknown as ProgramSettings);
    if (settings.tiers.levels.length === 0) continue;
    const since = qualifyingSince(settings.tiers, now, shop.timezone);
    let after = "";
    for (;;) {
      const ids = await prisma.member.findMany({
        where: { shopId: shop.id, id: { gt: after }, redactedAt: null },
        orderBy: { id: "asc" },
        take: batch,
        select: { id: true },
      });
      if (ids.length === 0) break;
      changes += await prisma.$transaction(
        async (tx) => {
          let changed = 0;
          const batchIds = ids.map((row) => row.id);
          // One lock and one qualifying query for the whole batch; writes only where something changes.
          const members = await tx.$queryRaw<Member[]>`
            SELECT * FROM "Member" WHERE id = ANY(${batchIds}::text[]) ORDER BY id FOR UPDATE`;
          const values = await qualifyingValues(tx, batchIds, settings, since);
          const moved: Array<{
            id: string;
            tierId: string | null;
            change: { from: string | null; to: string | null; reason: string };
            value: number;
          }> = [];
          for (const member of members) {
            const value = values.get(member.id) ?? 0;
            const state = { tierId: member.tierId, since: member.tierSince, belowSince: member.tierBelowSince };
            const decision = decideTier(settings.tiers, state, value, now, shop.timezone);
            if (decision.change) {
              moved.push({ id: member.id, tierId: decision.tierId, change: decision.change, value });
            } else if (decision.belowSince?.getTime() !== member.tierBelowSince?.getTime()) {
              await tx.member.update({ where: { id: member.id }, data: { tierBelowSince: decision.belowSince } });
            }
          }
          if (moved.length > 0) {
            await tx.$executeRaw`
              UPDATE "Member" m SET "tierId" = c.tier, "tierSince" = ${now}, "tierBelowSince" = NULL, "updatedAt" = now()
              FROM unnest(${moved.map((m) => m.id)}::text[], ${moved.map((m) => m.tierId)}::text[]) AS c(id, tier)
              WHERE m.id = c.id`;
            await tx.tierChange.createMany({
              data: moved.map((m) => ({
                memberId: m.id,
                fromTier: m.change.from,
                toTier: m.change.to,
                reason: m.change.reason,
                value: m.value,
              })),
            });
          }
          for (const { id, tierId } of moved) {
            changed += 1;
            const level = settings.tiers.levels.find((l) => l.id === tierId);
            const key = `tier:${tierId}:reach:${id}`;
            if (level && level.reachBonus > 0 && !(await findEntry(tx, shop.id, key))) {
              await earn(
                tx,
                await lockMemberById(tx, id),
                level.reachBonus,
                { ...settings, pendingDays: 0 },
                shop.timezone,
                {
                  reason: `Reached ${level.name}`,
                  sourceType: "job",
                  sourceId: level.id,
                  programVersionId: version.id,
                  idempotencyKey: key,
                  occurredAt: now,
                },
              );
            }
          }
          // Told in the same transaction as the move: a crash before the commit loses both, never one.
          for (const m of moved) {
            const threshold = (tierId: string | null) =>
              settings.tiers.levels.find((l) => l.id === tierId)?.threshold ?? -1;
            const name = (tierId: string | null) => settings.tiers.levels.find((l) => l.id === tierId)?.name ?? null;
            const eventKey = `tier:${m.id}:${m.change.to ?? "none"}:${now.getTime()}`;
            const data = {
              from: name(m.change.from),
              to: name(m.change.to),
              direction: threshold(m.change.to) > threshold(m.change.from) ? "up" : "down",
            };
            await recordMessage(tx, { shopId: shop.id, memberId: m.id, kind: "tier_changed", eventKey, data });
            await recordWebhookEvent(tx, {
              shopId: shop.id,
              memberId: m.id,
              event: "tier.changed",
              eventKey,
              occurredAt: now,
              data: { ...data, fromTierId: m.change.from, toTierId: m.change.to },
            });
          }
          return changed;
        },
        { timeout: 120_000 },
      );
      after = ids[ids.length - 1].id;
    }
  }
  return changes;
}
