import { withDefaults, type ProgramSettings } from "../core/program";
import { decideTier, qualifyingSince } from "../core/tiers";
import type { PrismaClient } from "../generated/prisma/client";
import { earn, findEntry } from "./ledger.server";
import { lockMemberById } from "./members.server";
import type { Tx } from "./transaction.server";

/** What counts toward a tier: merchandise spend kept (refunds out), or points earned from orders, in the period. */
async function qualifyingValue(
  tx: Tx,
  memberId: string,
  settings: ProgramSettings,
  since: Date | null,
): Promise<number> {
  if (settings.tiers.basis === "spend") {
    const rows = await tx.$queryRaw<Array<{ value: bigint | null }>>`
      SELECT SUM("baseMinor" - "refundedMinor") AS value FROM "Order"
      WHERE "memberId" = ${memberId} AND status = 'awarded' AND "cancelledAt" IS NULL
        AND (${since}::timestamp IS NULL OR "placedAt" >= ${since}::timestamp)`;
    return Number(rows[0]?.value ?? 0);
  }
  const rows = await tx.$queryRaw<Array<{ value: bigint | null }>>`
    SELECT SUM(o."pointsEarned" - o."pointsReversed") AS value FROM "Order" o
    WHERE o."memberId" = ${memberId} AND o.status = 'awarded'
      AND (${since}::timestamp IS NULL OR o."placedAt" >= ${since}::timestamp)`;
  return Number(rows[0]?.value ?? 0);
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
          for (const { id } of ids) {
            const member = await lockMemberById(tx, id);
            const value = await qualifyingValue(tx, id, settings, since);
            const state = { tierId: member.tierId, since: member.tierSince, belowSince: member.tierBelowSince };
            const decision = decideTier(settings.tiers, state, value, now, shop.timezone);
            if (!decision.change) {
              if (decision.belowSince?.getTime() !== member.tierBelowSince?.getTime()) {
                await tx.member.update({ where: { id }, data: { tierBelowSince: decision.belowSince } });
              }
              continue;
            }
            await tx.member.update({
              where: { id },
              data: { tierId: decision.tierId, tierSince: now, tierBelowSince: null },
            });
            await tx.tierChange.create({
              data: {
                memberId: id,
                fromTier: decision.change.from,
                toTier: decision.change.to,
                reason: decision.change.reason,
                value,
              },
            });
            changed += 1;
            const level = settings.tiers.levels.find((l) => l.id === decision.tierId);
            const key = `tier:${decision.tierId}:reach:${id}`;
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
          return changed;
        },
        { timeout: 120_000 },
      );
      after = ids[ids.length - 1].id;
    }
  }
  return changes;
}
