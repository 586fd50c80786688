import type { PrismaClient } from "../generated/prisma/client";
import { activate, expire } from "./ledger.server";
import { lockMemberById } from "./members.server";

/**
 * The scheduled work on lots: pending lots become spendable when their return window ends, and lots expire
 * when their day ends. Each run takes a batch per transaction, locks each member, re-reads each lot under
 * that lock and keys each entry by the lot's state, so a crash resumes where it stopped and no lot is
 * activated or expired twice.
 */

export async function activateDueLots(prisma: PrismaClient, now = new Date(), batch = 500): Promise<number> {
  let total = 0;
  for (;;) {
    const done = await prisma.$transaction(
      async (tx) => {
        const due = await tx.lot.findMany({
          where: { activatedAt: null, availableAt: { lte: now } },
          orderBy: { availableAt: "asc" },
          take: batch,
          select: { id: true, memberId: true },
        });
        for (const { id, memberId } of due) {
          const member = await lockMemberById(tx, memberId);
          const lot = await tx.lot.findUniqueOrThrow({ where: { id } });
          if (lot.activatedAt) continue;
          await activate(tx, member, lot, now);
        }
        return due.length;
      },
      { timeout: 120_000 },
    );
    total += done;
    if (done < batch) return total;
  }
}

export async function expireDueLots(prisma: PrismaClient, now = new Date(), batch = 500): Promise<number> {
  let total = 0;
  let after = "";
  for (;;) {
    const seen = await prisma.$transaction(
      async (tx) => {
        const due = await tx.lot.findMany({
          where: { expiresAt: { lte: now }, remaining: { gt: 0 }, activatedAt: { not: null }, id: { gt: after } },
          orderBy: { id: "asc" },
          take: batch,
          select: { id: true, memberId: true },
        });
        for (const { id, memberId } of due) {
          const member = await lockMemberById(tx, memberId);
          const lot = await tx.lot.findUniqueOrThrow({ where: { id } });
          if (await expire(tx, member, lot, now)) total += 1;
          after = id;
        }
        return due.length;
      },
      { timeout: 120_000 },
    );
    if (seen < batch) return total;
  }
}
