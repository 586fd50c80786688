import { recordMessage } from "../notifications/outbox.server";
import { randomInt } from "node:crypto";
import { toDecimal } from "../shared/money";
import type { PrismaClient, RewardCode } from "../generated/prisma/client";
import {
  AdminApiError,
  createRewardDiscount,
  deleteRewardDiscount,
  rewardCodeUsage,
} from "../shopify/admin-api.server";
import type { IssuedCode, RedeemRefusal } from "../storefront/storefront-api";
import { findEntry, hold, restore, spend, unhold } from "../ledger/ledger.server";
import { lockMemberById } from "../members/members.server";
import { currentProgram, findInstalledShop } from "../shops/shops.server";
import { storefrontReward } from "../storefront/storefront.server";
import type { Tx } from "../db/transaction.server";

export class RewardRefused extends Error {
  constructor(
    readonly code: RedeemRefusal,
    message: string,
  ) {
    super(message);
  }
}

/** How long a repeated request waits for the first copy's answer. */
const IN_FLIGHT_WAIT_MS = 10_000;

/** A code still "creating" after this long lost its request (a crash, a timeout): the sweep settles it. */
const CREATING_GRACE_MS = 10 * 60_000;

// No 0/O or 1/I: shoppers type these codes.
const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

export function newRewardCode(): string {
  let code = "TSUMIKI-";
  for (let i = 0; i < 10; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

export function issuedCode(code: RewardCode): IssuedCode {
  return {
    code: code.code,
    rewardName: code.rewardName,
    points: code.points,
    amountMinor: code.amountMinor,
    expiresAt: code.expiresAt.toISOString(),
  };
}

/**
 * First half of a redemption, in one transaction under the member's lock: checks the reward and the balance,
 * records the code as "creating" and holds its points, so no other spend can take them while Shopify is asked.
 * A repeated request key returns the code already made for it.
 */
async function holdForReward(
  tx: Tx,
  shopDomain: string,
  customerId: string,
  rewardId: string,
  requestKey: string,
  now: Date,
): Promise<{ code: RewardCode; fresh: boolean }> {
  const shop = await findInstalledShop(tx, shopDomain);
  if (!shop || shop.uninstalledAt) throw new RewardRefused("invalid_request", "this shop has not installed Tsumiki");
  const { settings } = await currentProgram(tx, shop);
  const reward = settings.rewards.find((candidate) => candidate.id === rewardId);
  const known = await tx.member.findUnique({ where: { shopId_customerId: { shopId: shop.id, customerId } } });
  if (!known || known.redactedAt) {
    if (!reward) throw new RewardRefused("unknown_reward", "this reward is not offered");
    throw new RewardRefused("insufficient_balance", `this reward needs ${reward.points} points; you have 0`);
  }
  // Under the member's lock, so two copies of one request cannot both get past this check.
  const member = await lockMemberById(tx, known.id);
  const previous = await tx.rewardCode.findUnique({
    where: { memberId_requestKey: { memberId: member.id, requestKey } },
  });
  if (previous) return { code: previous, fresh: false };
  if (!reward) throw new RewardRefused("unknown_reward", "this reward is not offered");
  if (member.blockedAt) throw new RewardRefused("blocked", "your points account is on hold; please contact the shop");
  if (member.pointsAvailable < reward.points) {
    throw new RewardRefused(
      "insufficient_balance",
      `this reward needs ${reward.points} points; you have ${member.pointsAvailable}`,
    );
  }
  const shown = storefrontReward(reward, settings.currency);
  const code = await tx.rewardCode.create({
    data: {
      shopId: shop.id,
      memberId: member.id,
      requestKey,
      rewardId: reward.id,
      rewardName: shown.name,
      points: reward.points,
      amountMinor: reward.amountMinor,
      currency: settings.currency,
      minimumSubtotalMinor: reward.minimumSubtotalMinor,
      code: newRewardCode(),
      expiresAt: new Date(now.getTime() + settings.rewardCodeDays * 24 * 60 * 60_000),
    },
  });
  await hold(tx, member, reward.points, {
    reason: `Held for reward ${shown.name}`,
    sourceType: "reward",
    sourceId: code.id,
    idempotencyKey: `reward:${code.id}:hold`,
    occurredAt: now,
  });
  return { code, fresh: true };
}

/** Second half: Shopify made the code, so the held points are spent. Idempotent. */
async function confirmReward(tx: Tx, codeId: string, discountId: string, now: Date): Promise<RewardCode> {
  const code = await tx.rewardCode.findUniqueOrThrow({ where: { id: codeId } });
  if (code.status !== "creating") return code;
  const member = await lockMemberById(tx, code.memberId);
  await spend(tx, member, code.points, code.points, {
    reason: `Reward ${code.rewardName} (code ${code.code})`,
    sourceType: "reward",
    sourceId: code.id,
    idempotencyKey: `reward:${code.id}:spend`,
    occurredAt: now,
  });
  const active = await tx.rewardCode.update({ where: { id: code.id }, data: { status: "active", discountId } });
  await recordMessage(tx, {
    shopId: code.shopId,
    memberId: code.memberId,
    kind: "reward_issued",
    eventKey: `reward:${code.id}:issued`,
    data: { name: code.rewardName, code: code.code, points: code.points, expiresAt: code.expiresAt.toISOString() },
  });
  return active;
}

/** Shopify refused (or never made) the code: the hold is released, nothing was spent. Idempotent. */
async function abandonReward(tx: Tx, codeId: string, now: Date): Promise<void> {
  const code = await tx.rewardCode.findUniqueOrThrow({ where: { id: codeId } });
  if (code.status !== "creating") return;
  const member = await lockMemberById(tx, code.memberId);
  await unhold(tx, member, code.points, {
    reason: `Reward ${code.rewardName} not issued: points released`,
    sourceType: "reward",
    sourceId: code.id,
    idempotencyKey: `reward:${code.id}:release`,
    occurredAt: now,
  });
  await tx.rewardCode.update({ where: { id: code.id }, data: { status: "failed", endedAt: now } });
}

async function askShopify(code: RewardCode, shopDomain: string, customerId: string): Promise<string> {
  return createRewardDiscount(shopDomain, {
    code: code.code,
    title: `Tsumiki reward ${code.rewardName} (${code.code})`,
    customerId,
    amount: toDecimal({ minor: code.amountMinor, currency: code.currency }),
    minimumSubtotal:
      code.minimumSubtotalMinor > 0 ? toDecimal({ minor: code.minimumSubtotalMinor, currency: code.currency }) : null,
    startsAt: code.createdAt,
    endsAt: code.expiresAt,
  });
}

/**
 * Turns points into a single-use discount code for this customer. The points are held before Shopify is
 * asked and spent only once Shopify has made the code; if Shopify refuses, the hold is released and the
 * shopper keeps every point. (Shopify is never called inside a database transaction.)
 */
export async function redeemReward(
  prisma: PrismaClient,
  shopDomain: string,
  customerId: string,
  rewardId: string,
  requestKey: string,
  now = new Date(),
  inFlightWaitMs = IN_FLIGHT_WAIT_MS,
): Promise<{ code: IssuedCode; available: number }> {
  const { code, fresh } = await prisma.$transaction((tx) =>
    holdForReward(tx, shopDomain, customerId, rewardId, requestKey, now),
  );
  if (!fresh) {
    // A copy of a request still being served: wait for its answer rather than asking Shopify twice.
    let settled = code;
    for (let waited = 0; settled.status === "creating" && waited < inFlightWaitMs; waited += 200) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      settled = await prisma.rewardCode.findUniqueOrThrow({ where: { id: code.id } });
    }
    if (settled.status === "creating") {
      throw new RewardRefused("in_progress", "this reward is still being issued; try again in a moment");
    }
    if (settled.status === "failed") {
      throw new RewardRefused("shopify_refused", "Shopify could not create this code; your points were not spent");
    }
    return { code: issuedCode(settled), available: await availableOf(prisma, code.memberId) };
  }
  let discountId: string;
  try {
    discountId = await askShopify(code, shopDomain, customerId);
  } catch (error) {
    if (!(error instanceof AdminApiError)) throw error;
    await prisma.$transaction((tx) => abandonReward(tx, code.id, new Date()));
    throw new RewardRefused("shopify_refused", "Shopify could not create this code; your points were not spent");
  }
  const confirmed = await prisma.$transaction((tx) => confirmReward(tx, code.id, discountId, new Date()));
  return { code: issuedCode(confirmed), available: await availableOf(prisma, code.memberId) };
}

async function availableOf(prisma: PrismaClient, memberId: string): Promise<number> {
  const member = await prisma.member.findUniqueOrThrow({ where: { id: memberId } });
  return member.pointsAvailable;
}

/**
 * An order used these discount codes: reward codes among them are used up, so the widget stops offering them
 * and the expiry sweep never returns their points. Codes are matched case-insensitively, as Shopify does.
 */
export async function markRewardCodesUsed(tx: Tx, shopId: string, codes: string[], now = new Date()): Promise<number> {
  if (codes.length === 0) return 0;
  const marked = await tx.rewardCode.updateMany({
    where: { shopId, status: "active", code: { in: codes.map((code) => code.trim().toUpperCase()) } },
    data: { status: "used", endedAt: now },
  });
  return marked.count;
}

/** Gives an unused expired code's points back to the lots they came from. */
async function returnReward(tx: Tx, codeId: string, now: Date): Promise<void> {
  const code = await tx.rewardCode.findUniqueOrThrow({ where: { id: codeId } });
  if (code.status !== "active") return;
  const member = await lockMemberById(tx, code.memberId);
  const spent = await findEntry(tx, code.shopId, `reward:${code.id}:spend`);
  await restore(tx, member, code.points, spent?.id ?? null, {
    reason: `Reward code ${code.code} expired unused: points returned`,
    sourceType: "reward",
    sourceId: code.id,
    idempotencyKey: `reward:${code.id}:return`,
    occurredAt: now,
  });
  await tx.rewardCode.update({ where: { id: code.id }, data: { status: "expired", endedAt: now } });
}

/**
 * The reward-code sweep: codes past their end date are checked with Shopify; unused ones are deleted and
 * their points come back, used ones are marked used. Codes stuck "creating" (the request died between the
 * hold and Shopify's answer) are confirmed if Shopify has them, released if not. Returns codes settled.
 */
export async function sweepRewardCodes(prisma: PrismaClient, now = new Date(), batch = 100): Promise<number> {
  let settled = 0;
  const stuck = await prisma.rewardCode.findMany({
    where: { status: "creating", createdAt: { lt: new Date(now.getTime() - CREATING_GRACE_MS) } },
    include: { shop: { select: { domain: true } } },
    take: batch,
  });
  for (const code of stuck) {
    const usage = await settleWithShopify(() => rewardCodeUsage(code.shop.domain, code.code));
    if (usage === undefined) continue;
    await prisma.$transaction(async (tx) => {
      if (usage) await confirmReward(tx, code.id, usage.id, now);
      else await abandonReward(tx, code.id, now);
    });
    settled += 1;
  }
  const expired = await prisma.rewardCode.findMany({
    where: { status: "active", expiresAt: { lte: now } },
    include: { shop: { select: { domain: true } } },
    take: batch,
  });
  for (const code of expired) {
    const usage = await settleWithShopify(() => rewardCodeUsage(code.shop.domain, code.code));
    if (usage === undefined) continue;
    if (usage && usage.used > 0) {
      await prisma.rewardCode.update({ where: { id: code.id }, data: { status: "used", endedAt: now } });
    } else {
      // Deleted first: a code that still worked after its points came back could be spent twice.
      const deleted = usage
        ? await settleWithShopify(() => deleteRewardDiscount(code.shop.domain, usage.id).then(() => true))
        : true;
      if (!deleted) continue;
      await prisma.$transaction((tx) => returnReward(tx, code.id, now));
    }
    settled += 1;
  }
  return settled;
}

/** An Admin API answer, or undefined when Shopify could not be asked now (the next sweep tries again). */
async function settleWithShopify<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof AdminApiError) {
      console.warn(`reward code sweep: ${error.message}`);
      return undefined;
    }
    throw error;
  }
}
