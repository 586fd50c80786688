import { recordMessage } from "../notifications/outbox.server";
import { randomInt, randomUUID } from "node:crypto";
import { calculateEarn, earnBase, earnLots, holdoutCampaigns, type Calculation, type EarnableOrder } from "./earning";
import type { EarnContext } from "./rules";
import type { ProgramSettings } from "../program/program";
import { refundBase, refundWeight, reversedPointsTarget, shareReversed, type RefundLine } from "./reversal";
import { lineWeight } from "./earning";
import { tierBoost } from "../program/tiers";
import type { Order, Prisma, Shop } from "../generated/prisma/client";
import { earn, findEntry, restore, reverse, type EntrySource } from "../ledger/ledger.server";
import { lockMember, lockMemberById, type CustomerProfile } from "../members/members.server";
import { isMember } from "../members/membership";
import { productFacts } from "./catalogue.server";
import { settleRedemption, type OrderRedemption } from "../redemption/settlement.server";
import type { CurrentProgram } from "../shops/shops.server";
import type { Tx } from "../db/transaction.server";
import { checkEarn, holdFlaggedEarn } from "../fraud/baseline.server";

export interface Outcome {
  outcome: "applied" | "skipped" | "recorded" | "duplicate";
  detail: string;
}

/**
 * The order's row, created if this is the first word about it, locked for the rest of the transaction.
 * The no-op DO UPDATE makes one statement insert-or-lock and return the row.
 */
async function lockOrder(tx: Tx, shopId: string, orderId: string): Promise<LockedOrder> {
  const rows = await tx.$queryRaw<LockedOrder[]>`
    INSERT INTO "Order" (id, "shopId", "orderId", "updatedAt") VALUES (${randomUUID()}, ${shopId}, ${orderId}, now())
    ON CONFLICT ("shopId", "orderId") DO UPDATE SET "orderId" = EXCLUDED."orderId"
    RETURNING *, (SELECT count(*)::int FROM "Refund" r
                  WHERE r."shopId" = ${shopId} AND r."orderId" = ${orderId} AND r."appliedAt" IS NULL) AS "unappliedRefunds"`;
  return rows[0];
}

const DAY = 86_400_000;

/** Why a blocked member's order earned nothing. */
const BLOCKED = "member blocked from earning by staff";
/** Why a customer's order earned nothing in a "members join" program they have not joined (or have left). */
const NOT_MEMBER = "not a member of the program";

/** An order row with the number of refunds waiting to be reversed against it. */
type LockedOrder = Order & { unappliedRefunds: number };

export interface PaidOrder {
  orderId: string;
  name?: string;
  test: boolean;
  customer: CustomerProfile | null;
  customerTags: string[];
  placedAt: Date;
  order: EarnableOrder;
  redemption: OrderRedemption;
}

/**
 * orders/paid: settle the points spent on the order, award the order's points once, then apply any refund
 * or cancellation that arrived first.
 */
export async function awardOrder(tx: Tx, shop: Shop, program: CurrentProgram, paid: PaidOrder): Promise<Outcome> {
  const order = await lockOrder(tx, shop.id, paid.orderId);
  // A history order (paid before the install) is awarded when the merchant chooses to award the history.
  if (order.status !== "unpaid" && order.status !== "history")
    return { outcome: "duplicate", detail: `order ${paid.orderId} already ${order.status}` };

  const skip = async (reason: string, memberId: string | null = null): Promise<Outcome> => {
    // Kept with its amount and date: the dashboard compares member and non-member revenue.
    const comparable = paid.order.currency === program.settings.currency;
    await tx.order.update({
      where: { id: order.id },
      data: {
        status: "skipped",
        skipReason: reason,
        name: paid.name ?? null,
        memberId,
        currency: paid.order.currency,
        placedAt: paid.placedAt,
        baseMinor: comparable ? earnBase(paid.order).baseMinor : 0,
      },
    });
    return { outcome: "skipped", detail: reason };
  };
  if (paid.test) return skip("test order");
  if (!paid.customer) return skip("guest order: no customer account to credit");

  const sameCurrency = paid.order.currency === program.settings.currency;
  const context = {
    placedAt: paid.placedAt,
    timezone: shop.timezone,
    customerTags: paid.customerTags,
    tierId: null,
    tierExtraPercent: 0,
  };
  const facts = await productFacts(
    tx,
    shop.id,
    paid.order.lines.flatMap((line) => (line.product?.productId ? [line.product.productId] : [])),
  );
  // Collections, tags and types come from the catalogue cache; the order's own vendor wins.
  const earnable: EarnableOrder = {
    ...paid.order,
    lines: paid.order.lines.map((line) => {
      const cached = line.product?.productId ? facts.get(line.product.productId) : undefined;
      return cached ? { ...line, product: { ...cached, vendor: line.product?.vendor ?? cached.vendor } } : line;
    }),
  };
  let calculation = sameCurrency ? calculateEarn(earnable, program.settings, context) : null;
  const redeeming = paid.redemption.nonce !== null || paid.redemption.appliedMinor > 0;
  if (!redeeming) {
    if (!calculation) {
      return skip(
        `order currency ${paid.order.currency} differs from the program currency ${program.settings.currency}`,
      );
    }
    if (calculation.points === 0) return skip(`earn base ${calculation.baseMinor} earns no points at this rate`);
  }

  const label = paid.name ?? `#${paid.orderId}`;
  let member = await lockMember(tx, shop.id, paid.customer);
  // Staff blocks come first; in an "all" program every customer is a member, so this is today's rule there.
  const excluded = member.blockedAt ? BLOCKED : isMember(program.settings.membership.mode, member) ? null : NOT_MEMBER;
  if (excluded && !redeeming) return skip(excluded, member.id);
  const now = new Date();
  const settled = redeeming
    ? await settleRedemption(tx, shop, program.settings, member, paid.orderId, label, paid.redemption, now)
    : { points: 0, flag: null };

  // A blocked member's (or a leaver's) reservation still settles (the points were held before); nothing is earned.
  if (excluded) calculation = null;
  // The member's tier boosts earning: recalculate with it now that the member is known.
  const boost = tierBoost(program.settings.tiers, member.tierId);
  if (calculation && (boost !== 0 || member.tierId)) {
    calculation = calculateEarn(earnable, program.settings, {
      ...context,
      tierId: member.tierId,
      tierExtraPercent: boost,
    });
  }
  if (calculation && !excluded) {
    const heldOutCampaignIds = await campaignControls(tx, shop.id, member.id, program.settings, {
      ...context,
      tierId: member.tierId,
      tierExtraPercent: boost,
    });
    if (heldOutCampaignIds.size > 0) {
      calculation = calculateEarn(earnable, program.settings, {
        ...context,
        tierId: member.tierId,
        tierExtraPercent: boost,
        heldOutCampaignIds,
      });
    }
  }
  // Fraud detection (app/fraud/): a flagged order earns exactly its points, but into lots held pending for review.
  // History orders, awarded in bulk by the merchant's choice, are not judged.
  const earns = calculation !== null && calculation.points > 0;
  const check =
    order.status !== "history" && (earns || settled.flag)
      ? await checkEarn(
          tx,
          shop.id,
          {
            orderId: paid.orderId,
            memberId: member.id,
            at: paid.placedAt.getTime(),
            amountMinor: calculation?.baseMinor ?? 0,
            points: calculation?.points ?? 0,
            redemptionFlag: settled.flag,
          },
          { earns, now },
        )
      : null;
  const held = check?.decision.hold === true;
  // Pending until staff decide, however old the order: its lots keep their own return window (set back below).
  const settings = held
    ? {
        ...program.settings,
        pendingDays: Math.max(
          program.settings.pendingDays,
          Math.ceil((now.getTime() - paid.placedAt.getTime()) / DAY) + 1,
        ),
      }
    : program.settings;
  const lotIds: string[] = [];
  if (calculation && calculation.points > 0) {
    const { orderPoints, campaignLots } = earnLots(calculation);
    const source = (key: string, reason: string, part: Calculation): EntrySource => ({
      reason,
      sourceType: "order",
      sourceId: paid.orderId,
      orderId: paid.orderId,
      programVersionId: program.version.id,
      calculation: part as unknown as Prisma.InputJsonValue,
      idempotencyKey: key,
      occurredAt: paid.placedAt,
    });
    // Campaign bonuses that expire sooner go into lots of their own, written first: debt is repaid from the
    // points nearest to expiry, as spending is.
    for (const lot of [...campaignLots].sort((a, b) => a.expiryDays - b.expiryDays)) {
      member = await lockMemberById(tx, member.id);
      const earned = await earn(
        tx,
        member,
        lot.points,
        settings,
        shop.timezone,
        source(
          campaignEarnKey(paid.orderId, lot.campaignId),
          `Order ${label}: ${lot.source} bonus (expires at the end of ${lot.expiresOn})`,
          { ...calculation, lot: lot.campaignId },
        ),
        "earn",
        lot.expiryDays,
      );
      lotIds.push(earned.lotId);
    }
    if (orderPoints > 0) {
      member = await lockMemberById(tx, member.id);
      const earned = await earn(
        tx,
        member,
        orderPoints,
        settings,
        shop.timezone,
        source(`order:${paid.orderId}:earn`, `Order ${label}`, calculation),
      );
      lotIds.push(earned.lotId);
    }
  }
  let heldFor: string[] = [];
  if (check?.decision.hold) {
    if (lotIds.length > 0) {
      const availableAt = new Date(paid.placedAt.getTime() + program.settings.pendingDays * DAY);
      await tx.lot.updateMany({ where: { id: { in: lotIds } }, data: { availableAt } });
    }
    heldFor = await holdFlaggedEarn(tx, shop, { memberId: member.id, orderId: paid.orderId, check, lotIds });
  }
  const earned = calculation?.points ?? 0;
  const awarded: LockedOrder = {
    ...order,
    status: "awarded",
    memberId: member.id,
    currency: paid.order.currency,
    taxesIncluded: paid.order.taxesIncluded,
    baseMinor: calculation?.baseMinor ?? 0,
    pointsEarned: earned,
    programVersionId: program.version.id,
    pointsRedeemed: settled.points,
    redemptionFlag: settled.flag,
    skipReason: calculation
      ? null
      : (excluded ?? `order currency ${paid.order.currency} differs from the program currency`),
  };
  await tx.$executeRaw`
    UPDATE "Order" SET status = 'awarded', "memberId" = ${member.id}, currency = ${awarded.currency},
      "taxesIncluded" = ${awarded.taxesIncluded}, "baseMinor" = ${awarded.baseMinor}, "pointsEarned" = ${earned},
      "programVersionId" = ${program.version.id}, "pointsRedeemed" = ${settled.points}, name = ${paid.name ?? null},
      "redemptionFlag" = ${settled.flag}, "skipReason" = ${awarded.skipReason}, "placedAt" = ${paid.placedAt},
      "updatedAt" = now()
    WHERE id = ${order.id}`;
  await applyReversals(tx, awarded, label);
  // "Points earned" tells the member when the points can be spent: now, or when the return window ends (then the
  // activation tells it). Orders from before the install, awarded in bulk, are not announced one by one.
  const spendableNow = paid.placedAt.getTime() + program.settings.pendingDays * 86_400_000 <= now.getTime();
  if (earned > 0 && spendableNow && order.status !== "history" && !held) {
    await recordMessage(tx, {
      shopId: shop.id,
      memberId: member.id,
      kind: "points_earned",
      eventKey: `earned:order:${paid.orderId}`,
      data: { points: earned, orderName: paid.name ?? null },
    });
  }
  const spent =
    settled.points > 0 ? `; spent ${settled.points} points${settled.flag ? ` (flagged: ${settled.flag})` : ""}` : "";
  const review = heldFor.length > 0 ? `; held for review (${heldFor.join(", ")})` : "";
  return {
    outcome: "applied",
    detail: calculation
      ? `earned ${earned} points on ${calculation.baseMinor} ${calculation.currency}${spent}${review}`
      : `earned nothing${spent}${review}`,
  };
}

export interface ReceivedRefund {
  refundId: string;
  orderId: string;
  lines: RefundLine[];
}

/** refunds/create: record the refund once; reverse its share now if the award exists, else when it does. */
export async function recordRefund(tx: Tx, shop: Shop, refund: ReceivedRefund): Promise<Outcome> {
  const order = await lockOrder(tx, shop.id, refund.orderId);
  const existing = await tx.refund.findUnique({
    where: { shopId_refundId: { shopId: shop.id, refundId: refund.refundId } },
  });
  if (existing) return { outcome: "duplicate", detail: `refund ${refund.refundId} already recorded` };
  await tx.refund.create({
    data: {
      shopId: shop.id,
      orderId: refund.orderId,
      refundId: refund.refundId,
      lines: refund.lines as unknown as Prisma.InputJsonValue,
    },
  });
  if (order.status !== "awarded") {
    return { outcome: "recorded", detail: `refund kept until order ${refund.orderId} is awarded (${order.status})` };
  }
  const reversed = await applyReversals(
    tx,
    { ...order, unappliedRefunds: order.unappliedRefunds + 1 },
    `#${order.orderId}`,
  );
  return { outcome: "applied", detail: `reversed ${reversed} points` };
}

/** orders/cancelled: a cancelled order keeps none of its points, whichever webhook arrives first. */
export async function cancelOrder(tx: Tx, shop: Shop, orderId: string, cancelledAt: Date): Promise<Outcome> {
  const order = await lockOrder(tx, shop.id, orderId);
  if (order.cancelledAt) return { outcome: "duplicate", detail: `order ${orderId} already cancelled` };
  const cancelled = {
    ...(await tx.order.update({ where: { id: order.id }, data: { cancelledAt } })),
    unappliedRefunds: order.unappliedRefunds,
  };
  if (order.status !== "awarded") {
    return { outcome: "recorded", detail: `cancellation kept for order ${orderId} (${order.status})` };
  }
  const reversed = await applyReversals(tx, cancelled, `#${orderId}`);
  return { outcome: "applied", detail: `reversed ${reversed} points` };
}

/**
 * The campaigns covering this earn whose control group the member is in. A member is assigned the first time a
 * campaign with a control group covers one of their orders, at random with the campaign's holdout share, and the
 * assignment is kept: the insert yields to an earlier one and the stored group is read back, so a repeated or
 * concurrent delivery of the webhook finds the same group and a member never changes group.
 */
async function campaignControls(
  tx: Tx,
  shopId: string,
  memberId: string,
  settings: ProgramSettings,
  context: EarnContext,
): Promise<Set<string>> {
  const controls = new Set<string>();
  for (const campaign of holdoutCampaigns(settings, context)) {
    // randomInt is uniform on [0, 100): a whole holdoutPercent of members land below it.
    const group = randomInt(100) < (campaign.holdoutPercent ?? 0) ? "control" : "treatment";
    await tx.$executeRaw`
      INSERT INTO "CampaignAssignment" (id, "shopId", "campaignId", "memberId", "group")
      VALUES (${randomUUID()}, ${shopId}, ${campaign.id}, ${memberId}, ${group}::"CampaignGroup")
      ON CONFLICT ("shopId", "campaignId", "memberId") DO NOTHING`;
    const stored = await tx.campaignAssignment.findUniqueOrThrow({
      where: { shopId_campaignId_memberId: { shopId, campaignId: campaign.id, memberId } },
    });
    if (stored.group === "control") controls.add(campaign.id);
  }
  return controls;
}

/** The idempotency key of the earn of one campaign's bonus kept in a lot of its own. */
export function campaignEarnKey(orderId: string, campaignId: string): string {
  return `order:${orderId}:earn:campaign:${campaignId}`;
}

/**
 * What the order earned: its lots (the order's own lot first, then campaign lots, as `shareReversed` takes
 * them) and the calculation, which every earn entry of the order carries.
 */
async function orderEarn(
  tx: Tx,
  order: Order,
): Promise<{ lots: Array<{ id: string; amount: number }>; calculation?: Calculation }> {
  if (!order.memberId) return { lots: [] };
  const own = `order:${order.orderId}:earn`;
  const lots = (
    await tx.lot.findMany({
      where: { memberId: order.memberId, orderId: order.orderId },
      include: { earnEntry: { select: { idempotencyKey: true, calculation: true } } },
      orderBy: { earnEntryId: "asc" },
    })
  ).filter(
    (lot) => lot.earnEntry.idempotencyKey === own || lot.earnEntry.idempotencyKey.startsWith(`${own}:campaign:`),
  );
  lots.sort((a, b) => Number(b.earnEntry.idempotencyKey === own) - Number(a.earnEntry.idempotencyKey === own));
  const calculation = lots.find((lot) => lot.earnEntry.calculation)?.earnEntry.calculation as unknown as
    Calculation | undefined;
  return { lots: lots.map((lot) => ({ id: lot.id, amount: lot.amount })), calculation };
}

/**
 * Brings an awarded order's reversals up to date: each unapplied refund in arrival order, then the
 * cancellation. Each step reverses the difference between the cumulative target and what is already
 * reversed, under an idempotency key naming that step.
 */
async function applyReversals(tx: Tx, order: LockedOrder, label: string): Promise<number> {
  const settledUp = order.pointsReversed >= order.pointsEarned && order.pointsReturned >= order.pointsRedeemed;
  if (order.unappliedRefunds === 0 && (!order.cancelledAt || settledUp)) return 0;
  const refunds = await tx.refund.findMany({
    where: { shopId: order.shopId, orderId: order.orderId, appliedAt: null },
    orderBy: { createdAt: "asc" },
  });
  const { lots, calculation } = await orderEarn(tx, order);
  let { refundedMinor, pointsReversed, pointsReturned } = order;
  let total = 0;
  const member = order.memberId ? await lockMemberById(tx, order.memberId) : null;

  const source = (key: string, reason: string, sourceType: "refund" | "order", sourceId: string): EntrySource => ({
    reason,
    sourceType,
    sourceId,
    orderId: order.orderId,
    programVersionId: order.programVersionId ?? undefined,
    idempotencyKey: key,
    occurredAt: new Date(),
  });
  // Each step brings a cumulative target up to date: earned points taken back, spent points given back.
  // The order's lots give back their shares of the cumulative target (in proportion to what each earned), so
  // a campaign lot and the order's own lot are taken back alike.
  const amounts = lots.map((lot) => lot.amount);
  const step = async (target: number, entry: EntrySource) => {
    const points = target - pointsReversed;
    if (points <= 0 || !member) return;
    const before = shareReversed(amounts, pointsReversed);
    const after = shareReversed(amounts, target);
    const own = lots.map((lot, i) => ({ lotId: lot.id, points: after[i] - before[i] }));
    await reverse(tx, await lockMemberById(tx, member.id), points, own, entry);
    pointsReversed = target;
    total += points;
  };
  // Points the shopper spent on the order come back in the same proportion as the money does.
  const redeemEntry =
    order.pointsRedeemed > 0 ? await findEntry(tx, order.shopId, `order:${order.orderId}:redeem`) : null;
  const giveBack = async (target: number, entry: EntrySource) => {
    const points = target - pointsReturned;
    if (points <= 0 || !member) return;
    await restore(tx, await lockMemberById(tx, member.id), points, redeemEntry?.id ?? null, entry);
    pointsReturned = target;
  };

  // Points go back by the weights they were earned with, cumulated over every refund of the order.
  const earnLines = calculation?.lines ?? [];
  const totalWeight = earnLines.reduce((sum, line) => sum + lineWeight(line), 0);
  const applied = await tx.refund.findMany({
    where: { shopId: order.shopId, orderId: order.orderId, appliedAt: { not: null } },
    select: { lines: true },
  });
  let refundedWeight = applied.reduce(
    (sum, r) => sum + refundWeight(earnLines, r.lines as unknown as RefundLine[], order.taxesIncluded),
    0,
  );
  for (const refund of refunds) {
    const lines = refund.lines as unknown as RefundLine[];
    const base = refundBase(earnLines, lines, order.taxesIncluded);
    refundedMinor = Math.min(order.baseMinor, refundedMinor + base);
    refundedWeight = Math.min(totalWeight, refundedWeight + refundWeight(earnLines, lines, order.taxesIncluded));
    const { refundId } = refund;
    await step(
      reversedPointsTarget(order.pointsEarned, totalWeight, refundedWeight),
      source(`refund:${refundId}:reverse`, `Refund on order ${label}`, "refund", refundId),
    );
    await giveBack(
      reversedPointsTarget(order.pointsRedeemed, order.baseMinor, refundedMinor),
      source(`refund:${refundId}:return`, `Points returned: refund on order ${label}`, "refund", refundId),
    );
    await tx.refund.update({ where: { id: refund.id }, data: { appliedAt: new Date(), baseMinor: base } });
  }
  if (order.cancelledAt) {
    const { orderId } = order;
    await step(order.pointsEarned, source(`order:${orderId}:cancel`, `Order ${label} cancelled`, "order", orderId));
    await giveBack(
      order.pointsRedeemed,
      source(`order:${orderId}:return`, `Points returned: order ${label} cancelled`, "order", orderId),
    );
  }
  await tx.order.update({ where: { id: order.id }, data: { refundedMinor, pointsReversed, pointsReturned } });
  return total;
}
