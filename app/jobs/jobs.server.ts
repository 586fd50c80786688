import prisma from "../db.server";
import { expireDueReservations } from "../redemption/checkout.server";
import { activateDueLots, expireDueLots, expireInactiveBalances } from "../ledger/lot-schedule.server";
import { awardBirthdays } from "../program/bonuses.server";
import { resumeImports } from "../imports/imports.server";
import { sweepRewardCodes } from "../redemption/reward-codes.server";
import { evaluateTiers } from "../program/tiers.server";
import { reconcileDueShops } from "../sync/reconciliation.server";
import { resumeHistoryAwards } from "../sync/order-history.server";
import { settleUnsuccessfulOrderOperations } from "../sync/orders-bulk.server";
import { advanceOperations } from "../sync/bulk-operations.server";
import { applyCompletedOperations } from "../sync/bulk-results.server";
import { pruneWebhookFailures } from "../webhooks/failures.server";
import { planExpiryReminders, planMonthlyStatements, planRewardCodeReminders } from "../notifications/reminders.server";
import { deliverDueMessages } from "../notifications/sender.server";
import { mailerFromEnv } from "../notifications/mailer.server";
import { pruneMessages } from "../notifications/outbox.server";
import { deliverFlowMessages } from "../notifications/flow.server";
import { syncMemberMetafields } from "../notifications/metafields.server";
import { scanShops } from "../fraud/scan.server";
import { fitDueShops } from "../insights/shop-insights.server";
import { deliverDueWebhooks, pruneWebhookDeliveries } from "../outgoing-webhooks/deliver.server";
import { pruneIdempotencyKeys } from "../api/idempotency.server";
import { writeMonthlyReports } from "../insights/reports.server";
import { assignCampaignCohorts } from "../earning/campaign-cohorts.server";

const EVERY_MS = 60_000;

/** The pause between passes: a minute, or TSUMIKI_JOBS_EVERY_MS (the production tests run them every second). */
function interval(env: Record<string, string | undefined>): number {
  const value = Number(env.TSUMIKI_JOBS_EVERY_MS);
  return Number.isInteger(value) && value >= 100 ? value : EVERY_MS;
}

declare global {
  var tsumikiJobs: NodeJS.Timeout | undefined;
}

/**
 * One pass of the scheduled work: reservations whose checkout ran out of time give their points back,
 * unused reward codes past their end return their points, pending lots whose return window ended become
 * spendable, lots whose day ended expire, tiers are re-evaluated for every member, birthdays are awarded and
 * interrupted imports carry on, and each shop's orders are reconciled with Shopify's (missed webhooks
 * recovered), old failed webhook deliveries are pruned, and reminders are planned and due messages delivered, and each shop is scanned for abuse once a day. Each step is idempotent and resumes after a crash.
 */
export async function runScheduledJobs(now = new Date()) {
  const reservations = await expireDueReservations(now);
  // Before lot expiry: points an unused reward code returns to an already expired lot expire in this pass.
  const rewardCodes = await sweepRewardCodes(prisma, now);
  const activated = await activateDueLots(prisma, now);
  const expired = (await expireDueLots(prisma, now)) + (await expireInactiveBalances(prisma, now));
  const tierChanges = await evaluateTiers(prisma, now);
  // A campaign with a control group that has just started: its whole eligible cohort is assigned (after the tiers
  // settle, which the cohort's eligibility reads).
  const campaignCohorts = await assignCampaignCohorts(prisma, now);
  const birthdays = await awardBirthdays(prisma, now);
  const imports = await resumeImports(prisma);
  // Bulk syncs: queued operations are offered to Shopify again, running ones asked about (a finish webhook may be
  // lost), and completed results not yet applied (a restart after the webhook) are applied.
  const bulkOperations = await advanceOperations(prisma);
  const bulkResults = await applyCompletedOperations(prisma, { now });
  // Order readings and catch-ups whose bulk operation failed on Shopify's side are marked failed; interrupted
  // history awards carry on.
  await settleUnsuccessfulOrderOperations(prisma);
  const historyAwards = await resumeHistoryAwards(prisma);
  const reconciled = (await reconcileDueShops(prisma, now)).reduce((sum, run) => sum + run.eventsRecovered, 0);
  // Failed webhook deliveries are kept for the health page for a month, and at most so many per shop.
  const webhookFailuresPruned = await pruneWebhookFailures(prisma, now);
  // Messages: reminders are planned into the outbox (once per member, expiry and offset), then everything due is
  // delivered. Without SMTP_URL email waits in the outbox, visible on the Notifications page.
  const messagesPlanned =
    (await planExpiryReminders(prisma, now)) +
    (await planRewardCodeReminders(prisma, now)) +
    (await planMonthlyStatements(prisma, now));
  const mailer = mailerFromEnv();
  const email = mailer ? await deliverDueMessages(prisma, mailer, { now }) : null;
  // Shopify Flow triggers, and the customer metafields email tools and themes read.
  const flow = await deliverFlowMessages(prisma, now);
  const metafieldsWritten = await syncMemberMetafields(prisma, now);
  const messagesPruned = await pruneMessages(prisma, now);
  // Outgoing webhooks to the merchants' subscriptions, in order per member, retried with backoff for a day.
  const webhooks = await deliverDueWebhooks(prisma, { now });
  // The API's Idempotency-Keys are kept a week, outgoing deliveries a month.
  const integrationRowsPruned = (await pruneIdempotencyKeys(prisma, now)) + (await pruneWebhookDeliveries(prisma, now));
  // Fraud: the shop-wide rules (redeem-then-refund, signup farming, staff outliers), once a day per shop.
  const fraudCases = await scanShops(prisma, now);
  // Insights: each shop's churn and value model refitted on its own orders, once a day per shop.
  const insightFits = await fitDueShops(prisma, now);
  // Last month's written report in both languages, once, early in each shop-local month (after the fit: fresh risks).
  const insightReports = await writeMonthlyReports(prisma, now);
  return {
    reservations,
    rewardCodes,
    activated,
    expired,
    tierChanges,
    campaignCohorts,
    birthdays,
    imports,
    bulkOperations,
    bulkResults,
    historyAwards,
    reconciled,
    webhookFailuresPruned,
    messagesPlanned,
    emailsSent: email?.sent ?? 0,
    flowTriggersSent: flow.sent,
    metafieldsWritten,
    messagesPruned,
    webhooksDelivered: webhooks.delivered,
    integrationRowsPruned,
    fraudCases,
    insightFits,
    insightReports,
  };
}

/**
 * Runs the scheduled work in-process every minute (TSUMIKI_JOBS=off leaves it to `npm run worker`).
 * Started once per process.
 */
export function startJobs(env: Record<string, string | undefined> = process.env): boolean {
  if (env.TSUMIKI_JOBS === "off" || env.NODE_ENV === "test" || globalThis.tsumikiJobs) return false;
  globalThis.tsumikiJobs = setInterval(() => {
    runScheduledJobs().catch((error: unknown) => console.error("scheduled jobs failed", error));
  }, interval(env));
  globalThis.tsumikiJobs.unref();
  return true;
}
