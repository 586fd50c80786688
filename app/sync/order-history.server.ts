import { randomUUID } from "node:crypto";
import type { OrderHistoryImport, PrismaClient, Shop } from "../generated/prisma/client";
import { calculateEarn, earnBase } from "../earning/earning";
import { applyPaidOrder, applyRefund } from "../earning/order-events.server";
import { lockMember } from "../members/members.server";
import { currentProgram, requireInstalledShop } from "../shops/shops.server";
import { parseMoney } from "../shared/money";
import { orderPayload, refundPayload, toEarnableOrder, toProfile, type OrderPayload } from "../webhooks/payloads";
import type { BulkRecords } from "./bulk-handlers.server";
import { startBulkOperation } from "./bulk-operations.server";
import { applyInBackground } from "./bulk-results.server";
import {
  assembleOrder,
  checkMonths,
  historyBulkQuery,
  historyWindow,
  HistoryRefused,
  recordKind,
  type HistoryOrder,
  type HistoryRecord,
} from "./order-history";
import { restId, toOrderWebhookPayload, toRefundWebhookPayload, wasPaid } from "./order-payload";
import { fetchRefund } from "./shopify-orders.server";

export { HistoryRefused } from "./order-history";

const STAGE_BATCH = 1000;
const ORDER_BATCH = 200;

/**
 * Asks Shopify for the orders paid in the `months` before the install, through a bulk operation; its result is
 * staged and previewed when it completes (applyHistoryResult). One reading at a time per shop.
 */
export async function requestOrderHistory(
  db: PrismaClient,
  shopDomain: string,
  monthsInput: unknown,
  requestedBy: string,
): Promise<OrderHistoryImport> {
  const months = checkMonths(monthsInput);
  const shop = await requireInstalledShop(db, shopDomain);
  const busy = await db.orderHistoryImport.findFirst({
    where: { shopId: shop.id, status: { in: ["reading", "awarding"] } },
  });
  if (busy) throw new HistoryRefused("an order history reading or award is already under way");
  const { settings } = await db.$transaction((tx) => currentProgram(tx, shop));
  const window = historyWindow(shop.installedAt, months);
  const reading = await db.orderHistoryImport.create({
    data: { shopId: shop.id, months, ...window, currency: settings.currency, requestedBy },
  });
  const started = await startBulkOperation(db, shopDomain, "orders", historyBulkQuery(window.since, window.until), {
    meta: { purpose: "history", importId: reading.id },
    requestedBy,
  });
  if (started.outcome === "busy") {
    await db.orderHistoryImport.delete({ where: { id: reading.id } });
    throw new HistoryRefused("Shopify is still reading this shop's orders for another request: try again shortly");
  }
  // Shopify can report an operation done at once (a small shop; local mode's stand-in): apply it now.
  if (started.operation.status === "COMPLETED") applyInBackground(db, shopDomain);
  return db.orderHistoryImport.update({
    where: { id: reading.id },
    data: {
      bulkOperationId: started.operation.id,
      ...(started.outcome === "rejected" ? { status: "failed", error: "rejected:" } : {}),
    },
  });
}

/**
 * Marks a reading failed with its reason as a code and detail ("shopify:ACCESS_DENIED", "result:incomplete",
 * "ended:EXPIRED", "rejected:", "unreadable:<order and field>"), which the page words in the merchant's language.
 */
export async function failHistoryReading(db: PrismaClient, importId: string, error: string): Promise<void> {
  await db.orderHistoryImport.updateMany({
    where: { id: importId, status: "reading" },
    data: { status: "failed", error },
  });
}

/** Stages every line of the result, then previews it. Called by the bulk result dispatcher (kind "orders"). */
export async function applyHistoryResult(
  db: PrismaClient,
  shop: Shop,
  importId: string,
  records: BulkRecords,
): Promise<{ processed: number }> {
  const reading = await db.orderHistoryImport.findUniqueOrThrow({ where: { id: importId } });
  if (reading.status !== "reading") return { processed: reading.orders };
  // A resumed apply starts over: staging is keyed by nothing but the reading.
  await db.orderHistoryLine.deleteMany({ where: { importId } });
  let batch: HistoryRecord[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const gids = batch.map((r) => String(r.id ?? ""));
    const parents = batch.map((r) => (typeof r.__parentId === "string" ? r.__parentId : null));
    const bodies = batch.map((r) => JSON.stringify(r));
    await db.$executeRaw`
      INSERT INTO "OrderHistoryLine" ("importId", gid, "parentGid", record)
      SELECT ${importId}, g, p, r::jsonb FROM unnest(${gids}::text[], ${parents}::text[], ${bodies}::text[]) AS t(g, p, r)`;
    batch = [];
  };
  for await (const record of records) {
    if (recordKind(record) === null) continue;
    batch.push(record);
    if (batch.length >= STAGE_BATCH) await flush();
  }
  await flush();
  try {
    return await previewHistory(db, shop, reading);
  } catch (error) {
    // Bad data from Shopify (an order the earn rules cannot read) writes nothing: the staging goes, the reason stays.
    await db.orderHistoryLine.deleteMany({ where: { importId } });
    await failHistoryReading(db, importId, `unreadable:${(error as Error).message}`);
    return { processed: 0 };
  }
}

/** The staged orders, a batch at a time, each with its children and its webhook payload. */
async function* stagedOrders(
  db: PrismaClient,
  importId: string,
): AsyncGenerator<Array<{ order: HistoryOrder; payload: OrderPayload }>> {
  let after = 0n;
  for (;;) {
    const parents = await db.orderHistoryLine.findMany({
      where: { importId, parentGid: null, id: { gt: after } },
      orderBy: { id: "asc" },
      take: ORDER_BATCH,
    });
    if (parents.length === 0) return;
    after = parents[parents.length - 1].id;
    const children = await db.orderHistoryLine.findMany({
      where: { importId, parentGid: { in: parents.map((p) => p.gid) } },
      orderBy: { id: "asc" },
    });
    yield parents.map((parent) => {
      const order = assembleOrder(
        parent.record as HistoryRecord,
        children.filter((c) => c.parentGid === parent.gid).map((c) => c.record as HistoryRecord),
      );
      const parsed = orderPayload.safeParse(toOrderWebhookPayload(order));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new HistoryRefused(
          `order ${order.name ?? order.id} cannot be read: ${issue.path.join(".")} ${issue.message}`,
        );
      }
      return { order, payload: parsed.data };
    });
  }
}

/** Counted as a sale: paid, not a test, not cancelled. */
const isSale = (order: HistoryOrder) => wasPaid(order) && !order.test && !order.cancelledAt;

/**
 * Checks every staged order and works out what awarding them would do (at today's program, before tier boosts),
 * then keeps each sale as a history order, so tiers and reports count it; nothing is earned. An order the app
 * already knows (a webhook saw it) is left as it is.
 */
async function previewHistory(
  db: PrismaClient,
  shop: Shop,
  reading: OrderHistoryImport,
): Promise<{ processed: number }> {
  const { settings } = await db.$transaction((tx) => currentProgram(tx, shop));
  let orders = 0;
  let memberOrders = 0;
  let points = 0;
  const members = new Set<string>();
  // First pass: every order must read before anything is written.
  for await (const batch of stagedOrders(db, reading.id)) {
    for (const { order, payload } of batch) {
      if (!isSale(order)) continue;
      orders++;
      if (!payload.customer) continue;
      memberOrders++;
      members.add(payload.customer.id);
      if (payload.currency !== settings.currency) continue;
      points += calculateEarn(toEarnableOrder(payload), settings, {
        placedAt: new Date(payload.processed_at ?? payload.created_at ?? order.processedAt),
        timezone: shop.timezone,
        customerTags: (payload.customer.tags ?? "")
          .split(",")
          .map((t) => t.trim())
          .filter(Boolean),
        tierId: null,
        tierExtraPercent: 0,
      }).points;
    }
  }
  for await (const batch of stagedOrders(db, reading.id)) {
    await db.$transaction(
      async (tx) => {
        for (const { order, payload } of batch) {
          if (!isSale(order)) continue;
          const member = payload.customer ? await lockMember(tx, shop.id, toProfile(payload.customer)) : null;
          const sameCurrency = payload.currency === settings.currency;
          const earnable = toEarnableOrder(payload);
          const baseMinor = sameCurrency ? earnBase(earnable).baseMinor : 0;
          // Refunded merchandise: what the subtotal lost since the order was placed, never more than the base.
          const subtotal = order.subtotalPriceSet
            ? parseMoney(order.subtotalPriceSet.shopMoney.amount, payload.currency)
            : 0;
          const current = order.currentSubtotalPriceSet
            ? parseMoney(order.currentSubtotalPriceSet.shopMoney.amount, payload.currency)
            : subtotal;
          const refundedMinor = Math.min(baseMinor, Math.max(0, subtotal - current));
          await tx.$executeRaw`
            INSERT INTO "Order" (id, "shopId", "orderId", name, status, "memberId", currency, "taxesIncluded",
                                 "baseMinor", "refundedMinor", "placedAt", "updatedAt")
            VALUES (${randomUUID()}, ${shop.id}, ${payload.id}, ${payload.name ?? null}, 'history', ${member?.id ?? null},
                    ${payload.currency}, ${payload.taxes_included}, ${baseMinor}, ${refundedMinor},
                    ${new Date(order.processedAt)}, now())
            ON CONFLICT ("shopId", "orderId") DO NOTHING`;
        }
      },
      { maxWait: 15_000, timeout: 60_000 },
    );
  }
  await db.orderHistoryImport.update({
    where: { id: reading.id },
    data: {
      status: "previewed",
      orders,
      memberOrders,
      members: members.size,
      points,
      liabilityMinor: points * settings.pointValueMinor,
      previewedAt: new Date(),
    },
  });
  return { processed: orders };
}

/**
 * Awards the previewed history's member orders their points, each through the orders/paid path with its keys (an
 * order awarded here and later seen by a webhook or reconciliation is never paid twice), then takes back what
 * their refunds took, through the refunds/create path. Resumable: an interrupted award is run again by the
 * scheduled job, and what is done is skipped.
 */
export async function awardOrderHistory(
  db: PrismaClient,
  shopDomain: string,
  importId: string,
  awardedBy: string,
): Promise<OrderHistoryImport> {
  const shop = await requireInstalledShop(db, shopDomain);
  const taken = await db.orderHistoryImport.updateMany({
    where: { id: importId, shopId: shop.id, status: { in: ["previewed", "awarding"] } },
    data: { status: "awarding", awardedBy },
  });
  if (taken.count === 0) throw new HistoryRefused("this order history is not waiting to be awarded");
  for await (const batch of stagedOrders(db, importId)) {
    for (const { order, payload } of batch) {
      if (!isSale(order) || !payload.customer) continue;
      const known = await db.order.findUnique({ where: { shopId_orderId: { shopId: shop.id, orderId: payload.id } } });
      if (known?.status === "history") {
        await db.$transaction((tx) => applyPaidOrder(tx, shopDomain, payload), { maxWait: 15_000, timeout: 15_000 });
      }
      const recorded = new Set(
        (await db.refund.findMany({ where: { shopId: shop.id, orderId: payload.id }, select: { refundId: true } })).map(
          (r) => r.refundId,
        ),
      );
      for (const listed of order.refunds ?? []) {
        if (recorded.has(restId(listed.id))) continue;
        const refund = await fetchRefund(shopDomain, listed.id);
        if (!refund) continue;
        const parsed = refundPayload.parse(toRefundWebhookPayload(refund));
        await db.$transaction((tx) => applyRefund(tx, shopDomain, parsed), { maxWait: 15_000, timeout: 15_000 });
      }
    }
  }
  const window = await db.orderHistoryImport.findUniqueOrThrow({ where: { id: importId } });
  // Counted from the orders, not by this pass: a resumed or concurrent award counts each order once.
  const [earned] = await db.$queryRaw<Array<{ orders: bigint; points: bigint | null }>>`
    SELECT count(*) AS orders, sum("pointsEarned" - "pointsReversed") AS points FROM "Order"
    WHERE "shopId" = ${shop.id} AND status = 'awarded' AND "placedAt" >= ${window.since} AND "placedAt" < ${window.until}`;
  const done = await db.$transaction(async (tx) => {
    const updated = await tx.orderHistoryImport.update({
      where: { id: importId },
      data: {
        status: "awarded",
        awardedOrders: Number(earned?.orders ?? 0),
        // The points the window's orders hold now: what this award gave, net of the refunds it took back.
        awardedPoints: Number(earned?.points ?? 0),
        awardedAt: new Date(),
      },
    });
    await tx.auditLog.create({
      data: {
        shopId: shop.id,
        actor: awardedBy,
        action: "history.award",
        subject: importId,
        after: { months: updated.months, orders: updated.awardedOrders, points: updated.awardedPoints },
      },
    });
    return updated;
  });
  await db.orderHistoryLine.deleteMany({ where: { importId } });
  return done;
}

const awardsInFlight = new Set<Promise<unknown>>();

/**
 * Starts awarding a previewed history and returns at once (a long history takes a while; the page shows progress):
 * the award runs in this process, and the scheduled job resumes it after a restart.
 */
export async function startHistoryAward(
  db: PrismaClient,
  shopDomain: string,
  importId: string,
  awardedBy: string,
): Promise<void> {
  const shop = await requireInstalledShop(db, shopDomain);
  const taken = await db.orderHistoryImport.updateMany({
    where: { id: importId, shopId: shop.id, status: "previewed" },
    data: { status: "awarding", awardedBy },
  });
  if (taken.count === 0) throw new HistoryRefused("this order history is not waiting to be awarded");
  const work: Promise<unknown> = awardOrderHistory(db, shopDomain, importId, awardedBy)
    .catch((error: unknown) => console.error(`awarding order history ${importId} failed`, error))
    .finally(() => awardsInFlight.delete(work));
  awardsInFlight.add(work);
}

/** Resolves once no award started here is running (tests, and a server shutting down). */
export async function historyAwards(): Promise<void> {
  while (awardsInFlight.size > 0) await Promise.allSettled([...awardsInFlight]);
}

/** Awards interrupted by a restart carry on (the scheduled job). */
export async function resumeHistoryAwards(db: PrismaClient): Promise<number> {
  const interrupted = await db.orderHistoryImport.findMany({
    where: { status: "awarding", shop: { uninstalledAt: null } },
    include: { shop: true },
  });
  for (const award of interrupted) {
    await awardOrderHistory(db, award.shop.domain, award.id, award.awardedBy ?? "system");
  }
  return interrupted.length;
}

/** The shop's latest readings, newest first, for the page. */
export async function historyReadings(db: PrismaClient, shopId: string, take = 5): Promise<OrderHistoryImport[]> {
  return db.orderHistoryImport.findMany({ where: { shopId }, orderBy: { createdAt: "desc" }, take });
}
