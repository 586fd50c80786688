/**
 * The nightly fit: for each shop, BG/NBD (purchase days, P(alive)) and Gamma-Gamma (spend per purchase day) on the
 * shop's own members' orders, then every member's predictions written to MemberInsight. Once a day per shop
 * (InsightFit.fittedAt), and on demand from the admin (fitShopNow).
 *
 * What counts as a purchase: an order that was paid, that is "awarded" (paid and earned through orders/paid) or
 * "history" (paid before the install, read from Shopify's order history), attributed to a member who is not
 * redacted, not cancelled, and not refunded in full. "skipped" orders are left out: they are test orders, guest
 * orders, orders in another currency, or orders by customers outside a members-join program; "unpaid" ones were
 * never paid. An order's value is its earn base less what was refunded, in the shop's minor units.
 */
import type { PrismaClient, Shop } from "../generated/prisma/client";
import { Prisma } from "../generated/prisma/client";
import type { Tx } from "../db/transaction.server";
import { expectedPurchases, fitBgNbd, probabilityAlive, type BgNbdParams } from "./bgnbd";
import { expectedOrderValue, fitGammaGamma, type GammaGammaParams } from "./gamma-gamma";
import { memberHistory, type MemberHistory, type PurchaseOrder } from "./member-history";
import { scoreRfm } from "./rfm";

/**
 * A shop needs this many members with a repeat purchase before its fit means anything: below it the four BG/NBD
 * parameters rest on a handful of people and P(alive) swings with each order. Thirty is the usual floor for a
 * maximum-likelihood estimate of a few parameters to be roughly normal.
 */
export const MIN_REPEAT_MEMBERS = 30;
/** The prediction horizon: expected orders and value over the next 90 days. */
export const HORIZON_DAYS = 90;
const DAY_MS = 86_400_000;
const READ_BATCH = 5_000;
// Rows written per statement (as column arrays: ten parameters whatever the batch).
const WRITE_BATCH = 10_000;

export type InsightFitStatus = "fitted" | "insufficient";

export interface FitOutcome {
  status: InsightFitStatus;
  reason: string | null;
  customers: number;
  repeatCustomers: number;
  members: number;
  readMs: number;
  fitMs: number;
  writeMs: number;
}

interface MemberSummary {
  memberId: string;
  history: MemberHistory;
}

/** Every member's summary up to asOf, read member by member in batches along the (shopId, memberId) index. */
async function readSummaries(prisma: PrismaClient, shop: Shop, asOf: Date): Promise<MemberSummary[]> {
  const summaries: MemberSummary[] = [];
  let after = "";
  for (;;) {
    const ids = await prisma.$queryRaw<Array<{ memberId: string }>>`
      SELECT DISTINCT o."memberId" FROM "Order" o
      WHERE o."shopId" = ${shop.id} AND o."memberId" > ${after} AND o.status IN ('awarded', 'history')
      ORDER BY o."memberId" LIMIT ${READ_BATCH}`;
    if (ids.length === 0) break;
    const first = ids[0].memberId;
    const last = ids[ids.length - 1].memberId;
    const rows = await prisma.$queryRaw<Array<{ memberId: string; at: Date; value: number }>>`
      SELECT o."memberId", coalesce(o."placedAt", o."createdAt") AS at,
             greatest(o."baseMinor" - o."refundedMinor", 0)::int AS value
      FROM "Order" o JOIN "Member" m ON m.id = o."memberId"
      WHERE o."shopId" = ${shop.id} AND o."memberId" >= ${first} AND o."memberId" <= ${last}
        AND o.status IN ('awarded', 'history') AND o."cancelledAt" IS NULL
        AND NOT (o."refundedMinor" > 0 AND o."refundedMinor" >= o."baseMinor")
        AND m."redactedAt" IS NULL
      ORDER BY o."memberId"`;
    let current: string | null = null;
    let orders: PurchaseOrder[] = [];
    const flush = () => {
      if (current === null) return;
      const history = memberHistory(orders, asOf, shop.timezone);
      if (history) summaries.push({ memberId: current, history });
    };
    for (const row of rows) {
      if (row.memberId !== current) {
        flush();
        current = row.memberId;
        orders = [];
      }
      orders.push({ placedAt: row.at, valueMinor: Number(row.value) });
    }
    flush();
    after = last;
    if (ids.length < READ_BATCH) break;
  }
  return summaries;
}

interface Predictions {
  bgnbd: BgNbdParams;
  gammaGamma: GammaGammaParams | null;
  logLikelihood: number;
  rows: Prisma.MemberInsightCreateManyInput[];
}

/**
 * Expected value policy: expected orders in 90 days × the Gamma-Gamma expected value of an order, rounded to the
 * nearest whole minor unit (half up; both factors are non-negative). Without a usable Gamma-Gamma fit (too few
 * members with a repeat purchase of a varying amount, or a fit whose mean spend is infinite, q ≤ 1) the member's
 * own mean order value stands in.
 */
function predict(summaries: MemberSummary[], asOf: Date): Predictions {
  const fit = fitBgNbd(summaries.map((s) => s.history.frequency));
  const spenders = summaries.map((s) => s.history.spend).filter((s) => s.x > 0 && s.mx > 0);
  let gammaGamma: GammaGammaParams | null = null;
  try {
    const gg = fitGammaGamma(spenders).params;
    if (gg.q > 1 && [gg.p, gg.q, gg.gamma].every(Number.isFinite)) gammaGamma = gg;
  } catch {
    // Left null: the member's own mean order value is used instead (see above).
  }
  const weeks = HORIZON_DAYS / 7;
  const scores = scoreRfm(summaries.map((s) => s.history));
  const rows = summaries.map(({ memberId, history }, i): Prisma.MemberInsightCreateManyInput => {
    const orders = expectedPurchases(fit.params, history.frequency, weeks);
    const perOrder = gammaGamma ? expectedOrderValue(gammaGamma, history.spend) : history.meanOrderMinor;
    return {
      memberId,
      shopId: "",
      frequency: history.frequency.x,
      recencyWeeks: history.frequency.tx,
      ageWeeks: history.frequency.T,
      monetaryMinor: history.meanOrderMinor,
      pAlive: probabilityAlive(fit.params, history.frequency),
      expectedOrders90: orders,
      expectedValueMinor: Math.round(orders * perOrder),
      repurchaseDays: history.repurchaseDays,
      rfmSegment: scores[i].segment,
      computedAt: asOf,
    };
  });
  return { bgnbd: fit.params, gammaGamma, logLikelihood: fit.logLikelihood, rows };
}

/**
 * One shop's fit as of `asOf`, replacing its MemberInsight rows in one transaction: readers see the last fit or
 * this one, never half of each, and a rerun leaves the same rows (members no longer eligible are gone).
 */
export async function fitShop(prisma: PrismaClient, shop: Shop, asOf = new Date()): Promise<FitOutcome> {
  const started = performance.now();
  const summaries = await readSummaries(prisma, shop, asOf);
  const read = performance.now();
  const repeatCustomers = summaries.filter((s) => s.history.frequency.x > 0).length;
  let reason: string | null = null;
  let predictions: Predictions | null = null;
  if (repeatCustomers < MIN_REPEAT_MEMBERS) {
    reason = "memberInsights.reason.fewRepeatMembers";
  } else {
    try {
      predictions = predict(summaries, asOf);
    } catch {
      // An optimiser that gives up is a fit that failed, recorded as such, not a failed nightly pass.
      predictions = null;
    }
    if (
      !predictions ||
      !Object.values(predictions.bgnbd).every(Number.isFinite) ||
      !Number.isFinite(predictions.logLikelihood)
    ) {
      reason = "memberInsights.reason.fitFailed";
      predictions = null;
    }
  }
  const fitted = performance.now();
  const status: InsightFitStatus = predictions ? "fitted" : "insufficient";
  const fitRow = {
    status,
    reason,
    params: predictions
      ? ({ bgnbd: predictions.bgnbd, gammaGamma: predictions.gammaGamma } as unknown as Prisma.InputJsonValue)
      : Prisma.DbNull,
    logLikelihood: predictions?.logLikelihood ?? null,
    customers: summaries.length,
    repeatCustomers,
    asOf,
    fittedAt: asOf,
  };
  await prisma.$transaction(
    async (tx) => {
      await tx.memberInsight.deleteMany({ where: { shopId: shop.id } });
      const rows = predictions?.rows ?? [];
      // One statement per batch with a column array each: a handful of parameters, not 13 a row.
      for (let i = 0; i < rows.length; i += WRITE_BATCH) {
        const batch = rows.slice(i, i + WRITE_BATCH);
        const column = <K extends keyof (typeof batch)[number]>(key: K) => batch.map((row) => row[key]);
        await tx.$executeRaw`
          INSERT INTO "MemberInsight" ("memberId", "shopId", frequency, "recencyWeeks", "ageWeeks", "monetaryMinor",
                                       "pAlive", "expectedOrders90", "expectedValueMinor", "repurchaseDays",
                                       "rfmSegment", "computedAt")
          SELECT m, ${shop.id}, f, rw, aw, mm, pa, eo, ev, rd, seg, ${asOf}
          FROM unnest(${column("memberId")}::text[], ${column("frequency")}::int[], ${column("recencyWeeks")}::float8[],
                      ${column("ageWeeks")}::float8[], ${column("monetaryMinor")}::int[], ${column("pAlive")}::float8[],
                      ${column("expectedOrders90")}::float8[], ${column("expectedValueMinor")}::int[],
                      ${column("repurchaseDays")}::float8[], ${column("rfmSegment")}::text[])
            AS r(m, f, rw, aw, mm, pa, eo, ev, rd, seg)`;
      }
      const durationMs = Math.round(performance.now() - started);
      await tx.insightFit.upsert({
        where: { shopId: shop.id },
        create: { shopId: shop.id, ...fitRow, durationMs },
        update: { ...fitRow, durationMs },
      });
    },
    { timeout: 600_000, maxWait: 60_000 },
  );
  const written = performance.now();
  return {
    status,
    reason,
    customers: summaries.length,
    repeatCustomers,
    members: predictions?.rows.length ?? 0,
    readMs: read - started,
    fitMs: fitted - read,
    writeMs: written - fitted,
  };
}

/** The admin's "Fit now": the shop's fit at once, whenever the last one ran. */
export async function fitShopNow(prisma: PrismaClient, shopId: string, now = new Date()): Promise<FitOutcome> {
  const shop = await prisma.shop.findUniqueOrThrow({ where: { id: shopId } });
  return fitShop(prisma, shop, now);
}

/**
 * The nightly pass: each installed shop whose last fit is a day old or more (or never ran, or is dated in the
 * future after a clock change) is fitted again. Returns how many shops were fitted, "insufficient" ones included.
 */
export async function fitDueShops(prisma: PrismaClient, now = new Date()): Promise<number> {
  const shops = await prisma.shop.findMany({ where: { uninstalledAt: null } });
  let fitted = 0;
  for (const shop of shops) {
    const last = await prisma.insightFit.findUnique({ where: { shopId: shop.id }, select: { fittedAt: true } });
    if (last && now.getTime() - last.fittedAt.getTime() < DAY_MS && last.fittedAt <= now) continue;
    await fitShop(prisma, shop, now);
    fitted += 1;
  }
  return fitted;
}

export interface MemberInsightView {
  /** The shop's last fit; null before the first. */
  fit: { status: InsightFitStatus; reason: string | null; repeatCustomers: number; fittedAt: string } | null;
  /** This member's predictions from it; null when the fit did not cover them (no purchase yet, or insufficient). */
  insight: {
    pAlive: number;
    expectedOrders90: number;
    expectedValueMinor: number;
    repurchaseDays: number | null;
    rfmSegment: string;
    computedAt: string;
  } | null;
  currency: string;
  minRepeatMembers: number;
}

/** What the member page's insight card shows: the shop's last fit and this member's row of it. */
export async function memberInsightView(tx: Tx, shop: Shop, memberId: string): Promise<MemberInsightView> {
  const [fit, insight] = await Promise.all([
    tx.insightFit.findUnique({ where: { shopId: shop.id } }),
    tx.memberInsight.findFirst({ where: { memberId, shopId: shop.id } }),
  ]);
  return {
    fit: fit && {
      status: fit.status === "fitted" ? "fitted" : "insufficient",
      reason: fit.reason,
      repeatCustomers: fit.repeatCustomers,
      fittedAt: fit.fittedAt.toISOString(),
    },
    insight: insight && {
      pAlive: insight.pAlive,
      expectedOrders90: insight.expectedOrders90,
      expectedValueMinor: insight.expectedValueMinor,
      repurchaseDays: insight.repurchaseDays,
      rfmSegment: insight.rfmSegment,
      computedAt: insight.computedAt.toISOString(),
    },
    currency: shop.currency,
    minRepeatMembers: MIN_REPEAT_MEMBERS,
  };
}
