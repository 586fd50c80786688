import { expect } from "vitest";
import { balanceFromLedger } from "../../app/core/balance";
import prisma from "../../app/db.server";

/**
 * The ledger is the truth: for every member, the cached balance equals what the ledger entries add up
 * to, and the lots hold exactly the available and pending points.
 */
export async function expectBalancesMatchLedger(): Promise<void> {
  const members = await prisma.member.findMany({ include: { entries: true, lots: true } });
  for (const member of members) {
    const derived = balanceFromLedger(member.entries);
    expect({ member: member.customerId, ...derived }).toEqual({
      member: member.customerId,
      available: member.pointsAvailable,
      pending: member.pointsPending,
      debt: member.pointsDebt,
    });
    const inLots = (pending: boolean) =>
      member.lots.filter((lot) => (lot.activatedAt === null) === pending).reduce((sum, lot) => sum + lot.remaining, 0);
    expect({ member: member.customerId, available: inLots(false), pending: inLots(true) }).toEqual({
      member: member.customerId,
      available: member.pointsAvailable,
      pending: member.pointsPending,
    });
    for (const lot of member.lots) {
      expect(lot.remaining).toBeGreaterThanOrEqual(0);
      expect(lot.remaining).toBeLessThanOrEqual(lot.amount);
    }
  }
}
