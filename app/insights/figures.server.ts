/**
 * The Insights page's figures for one shop and period: read from the members, their lots and tier moves, the nightly
 * predictions (MemberInsight) and the controlled campaigns' lifts; the arithmetic is in ./figures.
 */
import type { Shop } from "../generated/prisma/client";
import type { Tx } from "../db/transaction.server";
import { qualifyingValues } from "../program/tiers.server";
import { qualifyingSince } from "../program/tiers";
import type { ProgramSettings } from "../program/program";
import { programDashboard } from "../reports/dashboard.server";
import { currentProgram } from "../shops/shops.server";
import {
  atRisk,
  programReturn,
  tierFunnel,
  type AtRiskFigures,
  type LiftInput,
  type ProgramReturn,
  type TierStep,
} from "./figures";

export const DEFAULT_PERIOD_DAYS = 30;
/** Points expiring within this many days count as "expiring soon". */
export const EXPIRING_DAYS = 30;
const DAY_MS = 86_400_000;

export interface ExpiringFigures {
  members: number;
  points: number;
  /** The 90-day expected value (MemberInsight) of those members: the sales a reminder could bring. */
  expectedValueMinor: number;
}

export interface InsightFigures {
  range: { from: string; to: string };
  currency: string;
  settings: ProgramSettings;
  funnel: TierStep[];
  /** Members holding each tier (null: none), for what a campaign targeting a tier would reach. */
  tierMembers: Array<{ tierId: string | null; members: number }>;
  /** Null before a fit with predictions: the at-risk figures rest on the model. */
  atRisk: AtRiskFigures | null;
  expiring: ExpiringFigures;
  roi: ProgramReturn;
}

export async function insightFigures(
  tx: Tx,
  shop: Shop,
  lifts: LiftInput[],
  now = new Date(),
  periodDays = DEFAULT_PERIOD_DAYS,
): Promise<InsightFigures> {
  const range = { from: new Date(now.getTime() - periodDays * DAY_MS), to: now };
  const { settings } = await currentProgram(tx, shop);

  let funnel: TierStep[] = [];
  if (settings.tiers.levels.length > 0) {
    const members = await tx.member.findMany({
      where: { shopId: shop.id, redactedAt: null },
      select: { id: true, tierId: true },
    });
    const values = await qualifyingValues(
      tx,
      members.map((m) => m.id),
      settings,
      qualifyingSince(settings.tiers, now, shop.timezone),
    );
    const crossings = await tx.tierChange.findMany({
      where: { member: { shopId: shop.id }, createdAt: { gte: range.from, lt: range.to } },
      select: { fromTier: true, toTier: true },
    });
    // Only moves up: a downgrade into a tier is not a crossing of its threshold.
    const ladder = [...settings.tiers.levels].sort((a, b) => a.threshold - b.threshold).map((level) => level.id);
    const rank = (id: string | null) => (id === null ? -1 : ladder.indexOf(id));
    funnel = tierFunnel(
      settings.tiers.levels,
      members.map((m) => ({ tierId: m.tierId, value: values.get(m.id) ?? 0 })),
      crossings.filter((c) => rank(c.toTier) > rank(c.fromTier)),
    );
  }

  const fit = await tx.insightFit.findUnique({ where: { shopId: shop.id }, select: { status: true } });
  let risk: AtRiskFigures | null = null;
  if (fit?.status === "fitted") {
    const rows = await tx.memberInsight.findMany({
      where: { shopId: shop.id, member: { redactedAt: null } },
      select: {
        member: { select: { tierId: true } },
        memberId: true,
        pAlive: true,
        rfmSegment: true,
        frequency: true,
        ageWeeks: true,
        monetaryMinor: true,
        expectedValueMinor: true,
      },
    });
    risk = atRisk(rows.map(({ member, ...row }) => ({ ...row, tierId: member.tierId })));
  }

  const soon = new Date(now.getTime() + EXPIRING_DAYS * DAY_MS);
  const [expiring] = await tx.$queryRaw<Array<{ members: bigint; points: bigint | null; value: bigint | null }>>`
    SELECT count(*) AS members, sum(l.points) AS points, sum(i."expectedValueMinor") AS value
    FROM (
      SELECT lot."memberId", sum(lot.remaining) AS points FROM "Lot" lot
      JOIN "Member" m ON m.id = lot."memberId"
      WHERE lot."shopId" = ${shop.id} AND lot.remaining > 0 AND lot."expiresAt" >= ${now} AND lot."expiresAt" < ${soon}
        AND m."redactedAt" IS NULL
      GROUP BY lot."memberId"
    ) l LEFT JOIN "MemberInsight" i ON i."memberId" = l."memberId"`;

  const held = await tx.member.groupBy({
    by: ["tierId"],
    where: { shopId: shop.id, redactedAt: null },
    _count: { _all: true },
  });
  const dashboard = await programDashboard(tx, shop.domain, range);
  return {
    range: { from: range.from.toISOString(), to: range.to.toISOString() },
    currency: shop.currency,
    settings,
    funnel,
    tierMembers: held.map((row) => ({ tierId: row.tierId, members: row._count._all })),
    atRisk: risk,
    expiring: {
      members: Number(expiring.members),
      points: Number(expiring.points ?? 0),
      expectedValueMinor: Number(expiring.value ?? 0),
    },
    roi: programReturn(dashboard.points.redeemed, settings.pointValueMinor, lifts),
  };
}
