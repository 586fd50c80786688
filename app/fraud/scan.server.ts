import type { PrismaClient, Shop } from "../generated/prisma/client";
import type { Tx } from "../db/transaction.server";
import { setMemberBlocked } from "../members/staff-actions.server";
import { AUTO_ACTOR, autoBlockReason, refreshShopBaseline } from "./baseline.server";
import { scanShop } from "./detect";
import type { MemberMoneyEvents } from "./redeem-refund";
import { holdInReview } from "./review.server";
import { fraudSettingsFor } from "./settings.server";
import { DAY_MS, type Signal } from "./signals";
import { newMembers, signupFarmingCaseKey } from "./signup.server";
import { staffAdjustments, staffOutlierCaseKey } from "./staff.server";
import type { Thresholds } from "./thresholds";

/**
 * The daily shop-wide scan: redeem-then-refund, signup farming and staff outliers over each shop whose detection is
 * on, at most once a day per shop (FraudBaseline.scannedAt), refreshing the shop's baseline on the way. Every case
 * is keyed by what it is about, so a second run (or a crash and a rerun) opens none again. Returns the cases opened.
 *
 * Not scanned: a birthday changed to collect the bonus again, which is judged as the bonus is awarded
 * (app/fraud/birthday.server.ts, from the birthday changes the audit log records).
 */
export async function scanShops(prisma: PrismaClient, now = new Date()): Promise<number> {
  const shops = await prisma.shop.findMany({ where: { uninstalledAt: null } });
  let opened = 0;
  for (const shop of shops) {
    const { enabled, thresholds } = await fraudSettingsFor(prisma, shop.id);
    if (!enabled) continue;
    const row = await prisma.fraudBaseline.findUnique({ where: { shopId: shop.id }, select: { scannedAt: true } });
    if (row?.scannedAt && now.getTime() - row.scannedAt.getTime() < DAY_MS && row.scannedAt <= now) continue;
    opened += await prisma.$transaction((tx) => scanOneShop(tx, shop, thresholds, now), { timeout: 120_000 });
  }
  return opened;
}

/** One shop's scan, in one transaction: the cases, the holds, the blocks and the scan's mark commit together. */
export async function scanOneShop(tx: Tx, shop: Shop, t: Thresholds, now: Date): Promise<number> {
  await refreshShopBaseline(tx, shop.id, now, t);
  const lastScan = (await tx.fraudBaseline.findUnique({ where: { shopId: shop.id }, select: { scannedAt: true } }))
    ?.scannedAt;
  const signals = scanShop(
    {
      now: now.getTime(),
      money: t.redeemRefund.enabled ? await moneyEvents(tx, shop.id, now, t) : [],
      newMembers: t.signupFarming.enabled ? await newMembers(tx, shop.id, now, lastScan ?? null, t) : [],
      adjustments: t.staffOutlier.enabled ? await staffAdjustments(tx, shop.id, now, t) : [],
      staffIds: [],
    },
    t,
  );
  let opened = 0;
  for (const signal of signals) {
    if (signal.score < t.holdAtScore) continue;
    opened += await openCases(tx, shop, signal, t, now);
  }
  await tx.fraudBaseline.update({ where: { shopId: shop.id }, data: { scannedAt: now } });
  return opened;
}

/** The cases of one shop-wide signal; each keyed so that the same finding never opens a second case. */
async function openCases(tx: Tx, shop: Shop, signal: Signal, t: Thresholds, now: Date): Promise<number> {
  const cases: { memberId: string; caseKey: string; lotIds: string[]; block: boolean }[] = [];
  const blocks = t.blockAtScore !== null && signal.score >= t.blockAtScore;
  if (signal.rule === "redeem_refund") {
    // The pattern grows with each refund: a case per member and latest refunded order in it.
    const memberId = signal.evidence.memberIds[0];
    const last = signal.evidence.orderIds[signal.evidence.orderIds.length - 1];
    // The refunded orders' points were spent long ago, so there is nothing of theirs to hold. What the member would
    // spend next is what is still pending: points from recent orders inside their return window. Holding those keeps
    // the pattern from paying out again while staff look (approving releases them, rejecting takes them back).
    const lots = await tx.lot.findMany({
      where: { memberId, activatedAt: null, heldByCaseId: null, remaining: { gt: 0 } },
      select: { id: true },
    });
    cases.push({
      memberId,
      caseKey: `member:${memberId}:redeem_refund:${last}`,
      lotIds: lots.map((l) => l.id),
      block: blocks,
    });
  } else if (signal.rule === "signup_farming") {
    // One case per farmed member, holding their signup bonus if it is still pending. The key is the one the signup
    // bonus's own check files under (app/fraud/signup.server.ts): a member held as they signed up gets no second case.
    for (const memberId of signal.evidence.memberIds) {
      const lots = await tx.lot.findMany({
        where: { memberId, activatedAt: null, heldByCaseId: null, earnEntry: { sourceType: "signup" } },
        select: { id: true },
      });
      cases.push({
        memberId,
        caseKey: signupFarmingCaseKey(memberId),
        lotIds: lots.map((l) => l.id),
        block: blocks,
      });
    }
  } else if (signal.rule === "staff_outlier") {
    // About a staff member, not a customer: filed under the member they adjusted most (a case names a member), once
    // per staff member and window, and never blocks a customer.
    const staffId = signal.evidence.staffIds[0];
    const memberId = signal.evidence.memberIds[0];
    if (!memberId) return 0;
    cases.push({ memberId, caseKey: staffOutlierCaseKey(staffId, now, t), lotIds: [], block: false });
  }
  let opened = 0;
  for (const c of cases) {
    const existing = await tx.reviewCase.findUnique({
      where: { shopId_caseKey: { shopId: shop.id, caseKey: c.caseKey } },
      select: { id: true },
    });
    if (existing) continue;
    await holdInReview(tx, { shopId: shop.id, memberId: c.memberId, caseKey: c.caseKey, signal, lotIds: c.lotIds });
    opened += 1;
    if (c.block) await setMemberBlocked(tx, shop, c.memberId, true, autoBlockReason(signal), AUTO_ACTOR, now);
  }
  return opened;
}

/** Members with a refund in the window, with their earns, redemptions and refunds. */
async function moneyEvents(tx: Tx, shopId: string, now: Date, t: Thresholds): Promise<MemberMoneyEvents[]> {
  const since = new Date(now.getTime() - t.redeemRefund.windowDays * DAY_MS);
  const refunds = await tx.$queryRaw<Array<{ memberId: string; orderId: string; at: Date }>>`
    SELECT o."memberId", r."orderId", r."createdAt" AS at FROM "Refund" r
    JOIN "Order" o ON o."shopId" = r."shopId" AND o."orderId" = r."orderId"
    WHERE r."shopId" = ${shopId} AND r."createdAt" > ${since} AND r."createdAt" <= ${now}
      AND o."memberId" IS NOT NULL AND o."pointsEarned" > 0`;
  const byMember = new Map<string, { orderId: string; at: number }[]>();
  for (const r of refunds) {
    byMember.set(r.memberId, [...(byMember.get(r.memberId) ?? []), { orderId: r.orderId, at: r.at.getTime() }]);
  }
  // Fewer refunds than the pattern needs cannot make one: those members are not read further.
  const members = [...byMember.entries()].filter(([, list]) => list.length >= t.redeemRefund.minCount);
  const out: MemberMoneyEvents[] = [];
  for (const [memberId, list] of members) {
    const orders = await tx.order.findMany({
      where: { shopId, memberId, orderId: { in: list.map((r) => r.orderId) } },
      select: { orderId: true, placedAt: true, pointsEarned: true },
    });
    const redemptions = await tx.ledgerEntry.findMany({
      where: { memberId, kind: "redeem", occurredAt: { gt: new Date(since.getTime() - 365 * DAY_MS) } },
      select: { occurredAt: true, points: true, orderId: true },
    });
    out.push({
      memberId,
      earns: orders.map((o) => ({ orderId: o.orderId, at: (o.placedAt ?? now).getTime(), points: o.pointsEarned })),
      redemptions: redemptions.map((r) => ({ at: r.occurredAt.getTime(), points: -r.points, orderId: r.orderId })),
      refunds: list.sort((a, b) => a.at - b.at),
    });
  }
  return out;
}
