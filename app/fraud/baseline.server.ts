import type { Shop } from "../generated/prisma/client";
import type { Tx } from "../db/transaction.server";
import { setMemberBlocked } from "../members/staff-actions.server";
import { type Decision, decide, evaluateEarn } from "./detect";
import { flaggedRedemption } from "./flagged-redemption";
import { type EarnOrder, type ShopBaseline, shopBaseline } from "./model";
import { holdInReview } from "./review.server";
import { fraudSettingsFor } from "./settings.server";
import { DAY_MS, HOUR_MS, type Signal } from "./signals";
import type { Thresholds } from "./thresholds";

/**
 * A baseline from fewer orders, or fewer days with orders, than these is no "normal" to compare with: a new shop is
 * not judged by the earn-time rules until it has had 20 paid member orders on 7 different days in the baseline
 * window (a week: every weekday once). Below 20 orders the baseline is recomputed at each earn (a few rows to read);
 * with enough orders but under a week of them, hourly; once usable, daily.
 */
export const MIN_BASELINE_ORDERS = 20;
export const MIN_BASELINE_DAYS = 7;

/** The member's earlier orders the earn-time rules look at: the latest ones, at most this many, within a year. */
const HISTORY_LIMIT = 500;
const HISTORY_DAYS = 365;

export interface StoredBaseline extends ShopBaseline {
  /** How many orders it was computed from, and on how many different (UTC) days. */
  orders: number;
  days: number;
}

/** The usable baselines this process computed or read, by shop. */
const remembered = new Map<string, { computedAt: number; baseline: StoredBaseline }>();

const usable = (b: StoredBaseline) => b.orders >= MIN_BASELINE_ORDERS && (b.days ?? 0) >= MIN_BASELINE_DAYS;

interface OrderRow {
  orderId: string;
  memberId: string;
  placedAt: Date;
  baseMinor: number;
  pointsEarned: number;
}

const toEarnOrder = (row: OrderRow): EarnOrder => ({
  orderId: row.orderId,
  memberId: row.memberId,
  at: row.placedAt.getTime(),
  amountMinor: row.baseMinor,
  points: row.pointsEarned,
});

/** Computes the shop's baseline from its members' awarded orders in the window and stores it. */
export async function refreshShopBaseline(db: Tx, shopId: string, now: Date, t: Thresholds): Promise<StoredBaseline> {
  const since = new Date(now.getTime() - t.velocity.baselineDays * DAY_MS);
  const rows = await db.$queryRaw<OrderRow[]>`
    SELECT "orderId", "memberId", "placedAt", "baseMinor", "pointsEarned" FROM "Order"
    WHERE "shopId" = ${shopId} AND status = 'awarded' AND "memberId" IS NOT NULL AND "pointsEarned" > 0
      AND "placedAt" > ${since} AND "placedAt" <= ${now}`;
  const baseline: StoredBaseline = {
    ...shopBaseline(rows.map(toEarnOrder), t.largeOrder.shopPercentile),
    orders: rows.length,
    days: new Set(rows.map((r) => Math.floor(r.placedAt.getTime() / DAY_MS))).size,
  };
  remembered.set(shopId, { computedAt: now.getTime(), baseline });
  const json = JSON.stringify(baseline);
  await db.$executeRaw`
    INSERT INTO "FraudBaseline" ("shopId", "computedAt", baseline) VALUES (${shopId}, ${now}, ${json}::jsonb)
    ON CONFLICT ("shopId") DO UPDATE SET "computedAt" = EXCLUDED."computedAt", baseline = EXCLUDED.baseline`;
  return baseline;
}

/**
 * The shop's baseline: the stored one while less than a day old, else computed again (at most once a day per shop,
 * by the first earn or the daily scan that finds it stale). Null while the shop has too little history to have a normal.
 */
export async function shopBaselineFor(db: Tx, shopId: string, now: Date, t: Thresholds): Promise<ShopBaseline | null> {
  // A usable baseline is kept in the process until it is a day old: one row less to read per earn.
  const hit = remembered.get(shopId);
  const hitAge = hit ? now.getTime() - hit.computedAt : Number.POSITIVE_INFINITY;
  if (hit && hitAge >= 0 && hitAge < DAY_MS && usable(hit.baseline)) return hit.baseline;
  const row = await db.fraudBaseline.findUnique({ where: { shopId }, select: { computedAt: true, baseline: true } });
  let baseline = row?.baseline as unknown as StoredBaseline | undefined;
  const age = row && row.computedAt <= now ? now.getTime() - row.computedAt.getTime() : Number.POSITIVE_INFINITY;
  const stale =
    !baseline || age >= DAY_MS || baseline.orders < MIN_BASELINE_ORDERS || (!usable(baseline) && age >= HOUR_MS);
  if (stale) baseline = await refreshShopBaseline(db, shopId, now, t);
  else if (row && baseline) remembered.set(shopId, { computedAt: row.computedAt.getTime(), baseline });
  return baseline && usable(baseline) ? baseline : null;
}

/** The member's earlier awarded orders (oldest first), all placed before `order`. */
async function memberHistory(db: Tx, shopId: string, order: EarnOrder): Promise<EarnOrder[]> {
  const at = new Date(order.at);
  const since = new Date(order.at - HISTORY_DAYS * DAY_MS);
  const rows = await db.$queryRaw<OrderRow[]>`
    SELECT "orderId", "memberId", "placedAt", "baseMinor", "pointsEarned" FROM "Order"
    WHERE "shopId" = ${shopId} AND "memberId" = ${order.memberId} AND status = 'awarded'
      AND "orderId" <> ${order.orderId} AND "placedAt" < ${at} AND "placedAt" >= ${since}
    ORDER BY "placedAt" DESC LIMIT ${HISTORY_LIMIT}`;
  return rows.reverse().map(toEarnOrder);
}

async function earlierFlaggedOrders(db: Tx, shopId: string, memberId: string, orderId: string): Promise<number> {
  return db.order.count({
    where: { shopId, memberId, orderId: { not: orderId }, redemptionFlag: { not: null } },
  });
}

/**
 * The shop's last 24 hours: the other members' awarded orders, and how many members placed them. The member being
 * judged is left out: in a quiet shop their own burst would otherwise be the "sale" that excuses it.
 */
async function shopPulse(db: Tx, shopId: string, memberId: string, now: Date) {
  const since = new Date(now.getTime() - DAY_MS);
  const [row] = await db.$queryRaw<Array<{ orders: number; members: number }>>`
    SELECT count(*)::int AS orders, count(DISTINCT "memberId")::int AS members FROM "Order"
    WHERE "shopId" = ${shopId} AND status = 'awarded' AND "memberId" <> ${memberId}
      AND "placedAt" > ${since} AND "placedAt" <= ${now}`;
  return row ?? { orders: 0, members: 0 };
}

export interface EarnCheck {
  decision: Decision;
  thresholds: Thresholds;
}

/**
 * The earn-time rules on one order, with their inputs read from the database: velocity and large order when the
 * order earns points, and the redemption flag settlement wrote on it. Null when the shop switched detection off.
 * The live pulse (a sale lifting every member's orders) only lowers velocity scores, so it is read only when the
 * order would be held without it.
 */
export async function checkEarn(
  db: Tx,
  shopId: string,
  order: EarnOrder & { redemptionFlag: string | null },
  options: { earns: boolean; now: Date },
): Promise<EarnCheck | null> {
  const { enabled, thresholds: t } = await fraudSettingsFor(db, shopId);
  if (!enabled) return null;
  const flagged = order.redemptionFlag ? await earlierFlaggedOrders(db, shopId, order.memberId, order.orderId) : 0;
  if (!options.earns) {
    // Nothing earned to judge: only the flag settlement wrote.
    const flag = t.flaggedRedemption.enabled ? flaggedRedemption(order, flagged) : null;
    return { decision: decide(flag ? [flag] : [], t), thresholds: t };
  }
  const shop = await shopBaselineFor(db, shopId, options.now, t);
  if (!shop) {
    const flag = t.flaggedRedemption.enabled ? flaggedRedemption(order, flagged) : null;
    return { decision: decide(flag ? [flag] : [], t), thresholds: t };
  }
  const history = await memberHistory(db, shopId, order);
  const input = { order, history, earlierFlaggedOrders: flagged, shop };
  let decision = evaluateEarn({ ...input, pulse: { orders: 0, members: 0 } }, t);
  if (decision.hold && decision.signals.some((s) => s.rule === "velocity")) {
    decision = evaluateEarn({ ...input, pulse: await shopPulse(db, shopId, order.memberId, options.now) }, t);
  }
  return { decision, thresholds: t };
}

/**
 * Opens a case for each signal at the hold level, in the earn's transaction: the strongest holds the order's lots
 * (pending until staff decide), the others are opened beside it holding nothing (a lot has one case). Keyed
 * `order:<orderId>:<rule>`, so a redelivery or a reconciliation of the same order opens none. When the merchant set
 * an automatic block level and the score reaches it, the member is blocked too, audited as "fraud:auto".
 */
export async function holdFlaggedEarn(
  tx: Tx,
  shop: Shop,
  input: { memberId: string; orderId: string; check: EarnCheck; lotIds: string[] },
): Promise<string[]> {
  const { decision, thresholds } = input.check;
  const holding = decision.signals.filter((s) => s.score >= thresholds.holdAtScore);
  for (const [i, signal] of holding.entries()) {
    await holdInReview(tx, {
      shopId: shop.id,
      memberId: input.memberId,
      caseKey: `order:${input.orderId}:${signal.rule}`,
      signal,
      orderId: input.orderId,
      lotIds: i === 0 ? input.lotIds : [],
    });
  }
  if (decision.block && holding.length > 0) {
    await setMemberBlocked(tx, shop, input.memberId, true, autoBlockReason(holding[0]), AUTO_ACTOR);
  }
  return holding.map((s) => s.rule);
}

/** The actor of what detection does on its own (automatic blocks), in the audit log. */
export const AUTO_ACTOR = "fraud:auto";

export const autoBlockReason = (signal: Signal) =>
  `Blocked automatically: ${signal.rule} score ${signal.score} (${signal.summary})`;
