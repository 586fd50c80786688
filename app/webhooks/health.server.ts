import type { Shop } from "../generated/prisma/client";
import type { Tx } from "../db/transaction.server";
import { MAX_CHECK_DAYS } from "../sync/reconciliation.server";
import { unreachableDeliveries } from "./failures.server";

/** One webhook topic as the health page lists it. Dates are ISO strings; null when it never happened. */
export interface TopicHealth {
  topic: string;
  /** Deliveries applied (or found to be duplicates): the Delivery rows. */
  received: number;
  lastReceivedAt: string | null;
  /** Signed deliveries that failed, over the days failures are kept. */
  failed: number;
  lastFailedAt: string | null;
  /** Events of this topic that reconciliation applied because their webhook never arrived. */
  recovered: number;
}

export interface FailureView {
  topic: string;
  webhookId: string;
  /** The HTTP status the app answered: 400 bad payload, 404 not installed, 500 an error, 503 database unreachable. */
  status: number;
  reason: string;
  receivedAt: string;
  /** A later retry of the same delivery succeeded. */
  retried: boolean;
}

export interface RecoveredView {
  orderId: string;
  topic: string;
  outcome: string;
  detail: string | null;
  recoveredAt: string;
}

export interface RunView {
  id: string;
  mode: string;
  status: string;
  since: string;
  until: string;
  ordersChecked: number;
  eventsRecovered: number;
  error: string | null;
  requestedBy: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface WebhookHealth {
  topics: TopicHealth[];
  failures: FailureView[];
  /** Refused with 503 while the database was unreachable: known to this server process only. */
  unreachable: FailureView[];
  recovered: RecoveredView[];
  /** Shopify's orders updated up to here have been checked against what the app applied. */
  watermark: string | null;
  runs: RunView[];
  maxCheckDays: number;
}

const LISTED = 50;
const RUNS_LISTED = 10;
const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** Everything the webhook health page shows for one shop. */
export async function webhookHealth(tx: Tx, shop: Shop): Promise<WebhookHealth> {
  const domain = shop.domain;
  const [delivered, failedByTopic, recoveredByTopic, failures, recovered, runs] = await Promise.all([
    tx.delivery.groupBy({
      by: ["topic"],
      where: { shopDomain: domain },
      _count: { _all: true },
      _max: { receivedAt: true },
    }),
    tx.webhookFailure.groupBy({
      by: ["topic"],
      where: { shopDomain: domain },
      _count: { _all: true },
      _max: { receivedAt: true },
    }),
    tx.recoveredEvent.groupBy({ by: ["topic"], where: { shopId: shop.id }, _count: { _all: true } }),
    tx.webhookFailure.findMany({
      where: { shopDomain: domain },
      orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
      take: LISTED,
    }),
    tx.recoveredEvent.findMany({
      where: { shopId: shop.id },
      orderBy: [{ recoveredAt: "desc" }, { id: "desc" }],
      take: LISTED,
    }),
    tx.reconciliationRun.findMany({
      where: { shopId: shop.id },
      orderBy: [{ startedAt: "desc" }, { id: "desc" }],
      take: RUNS_LISTED,
    }),
  ]);
  const unreachable = unreachableDeliveries(domain).slice(0, LISTED);
  // A failure followed by a delivery of the same webhook id: Shopify's retry got through.
  const retried = new Set(
    (
      await tx.delivery.findMany({
        where: { shopDomain: domain, webhookId: { in: [...failures, ...unreachable].map((f) => f.webhookId) } },
        select: { webhookId: true },
      })
    ).map((delivery) => delivery.webhookId),
  );

  const topics = new Map<string, TopicHealth>();
  const topic = (name: string) => {
    let row = topics.get(name);
    if (!row) {
      row = { topic: name, received: 0, lastReceivedAt: null, failed: 0, lastFailedAt: null, recovered: 0 };
      topics.set(name, row);
    }
    return row;
  };
  for (const row of delivered) {
    Object.assign(topic(row.topic), { received: row._count._all, lastReceivedAt: iso(row._max.receivedAt) });
  }
  for (const row of failedByTopic) {
    Object.assign(topic(row.topic), { failed: row._count._all, lastFailedAt: iso(row._max.receivedAt) });
  }
  for (const row of recoveredByTopic) topic(row.topic).recovered = row._count._all;

  const failureView = (failure: {
    topic: string;
    webhookId: string;
    status: number;
    reason: string;
    receivedAt: Date;
  }): FailureView => ({
    topic: failure.topic,
    webhookId: failure.webhookId,
    status: failure.status,
    reason: failure.reason,
    receivedAt: failure.receivedAt.toISOString(),
    retried: retried.has(failure.webhookId),
  });

  return {
    topics: [...topics.values()].sort((a, b) => a.topic.localeCompare(b.topic)),
    failures: failures.map(failureView),
    unreachable: unreachable.map(failureView),
    recovered: recovered.map((event) => ({
      orderId: event.orderId,
      topic: event.topic,
      outcome: event.outcome,
      detail: event.detail,
      recoveredAt: event.recoveredAt.toISOString(),
    })),
    watermark: iso(shop.reconciledThrough),
    runs: runs.map((run) => ({
      id: run.id,
      mode: run.mode,
      status: run.status,
      since: run.since.toISOString(),
      until: run.until.toISOString(),
      ordersChecked: run.ordersChecked,
      eventsRecovered: run.eventsRecovered,
      error: run.error,
      requestedBy: run.requestedBy,
      startedAt: run.startedAt.toISOString(),
      finishedAt: iso(run.finishedAt),
    })),
    maxCheckDays: MAX_CHECK_DAYS,
  };
}

/**
 * The number of days to check again, from the form: a whole number from 1 to MAX_CHECK_DAYS, given as a number or
 * as the text of the field ("7"); null for anything else (empty, "7.5", "abc", 0, 61).
 */
export function parseCheckDays(value: unknown): number | null {
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
  if (!/^\d{1,3}$/.test(text)) return null;
  const days = Number(text);
  return days >= 1 && days <= MAX_CHECK_DAYS ? days : null;
}
