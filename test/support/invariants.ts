import { expect } from "vitest";
import { balanceFromLedger } from "../../app/ledger/balance";
import prisma from "../../app/db.server";

/**
 * The ledger is the truth: for every member, the cached balance equals what the ledger entries add up
 * to, and the lots hold exactly the available, reserved and pending points; nothing is ever negative.
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
      reserved: member.pointsReserved,
    });
    const inLots = (pending: boolean) =>
      member.lots.filter((lot) => (lot.activatedAt === null) === pending).reduce((sum, lot) => sum + lot.remaining, 0);
    // Reserved points stay in their lots until the order settles them.
    expect({ member: member.customerId, inAvailableLots: inLots(false), pending: inLots(true) }).toEqual({
      member: member.customerId,
      inAvailableLots: member.pointsAvailable + member.pointsReserved,
      pending: member.pointsPending,
    });
    expect(member.pointsReserved).toBeGreaterThanOrEqual(0);
    expect(member.pointsAvailable).toBeGreaterThanOrEqual(0);
    for (const lot of member.lots) {
      expect(lot.remaining).toBeGreaterThanOrEqual(0);
      expect(lot.remaining).toBeLessThanOrEqual(lot.amount);
    }
  }
}
