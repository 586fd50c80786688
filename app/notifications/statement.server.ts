import type { PrismaClient } from "../generated/prisma/client";
import { startOfLocalDay } from "../shared/calendar";
import type { StatementData } from "./variables";

function monthRange(year: number, month: number, timezone: string): { start: Date; end: Date } {
  const pad = (n: number) => String(n).padStart(2, "0");
  const next = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
  return {
    start: startOfLocalDay(`${year}-${pad(month)}-01`, timezone),
    end: startOfLocalDay(`${next.year}-${pad(next.month)}-01`, timezone),
  };
}

/**
 * A member's statement (ポイント明細) for one shop-local month, from the ledger: every entry that moved their points
 * in the month, and the net balance at its end. Read when the message is sent, so it is the ledger as it is.
 */
export async function statementFacts(
  prisma: PrismaClient,
  memberId: string,
  timezone: string,
  year: number,
  month: number,
): Promise<StatementData> {
  const { start, end } = monthRange(year, month, timezone);
  const [entries, closing] = await Promise.all([
    prisma.ledgerEntry.findMany({
      where: { memberId, occurredAt: { gte: start, lt: end }, points: { not: 0 } },
      orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
      select: { occurredAt: true, kind: true, sourceType: true, points: true },
    }),
    prisma.ledgerEntry.aggregate({ where: { memberId, occurredAt: { lt: end } }, _sum: { points: true } }),
  ]);
  return {
    year,
    month,
    lines: entries.map((entry) => ({
      occurredAt: entry.occurredAt.toISOString(),
      kind: entry.kind,
      sourceType: entry.sourceType,
      points: entry.points,
    })),
    closing: closing._sum.points ?? 0,
  };
}
