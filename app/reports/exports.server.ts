import { addDays, localDate, startOfLocalDay } from "../shared/calendar";
import { csvRow } from "../shared/csv-write";
import type { PrismaClient, Shop } from "../generated/prisma/client";

export type ExportKind = "ledger" | "balances";

export interface ExportRange {
  /** Shop-local dates, inclusive. */
  from: string;
  to: string;
}

const PAGE = 5_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads `from`/`to`; both default to the last 30 shop-local days. */
export function parseExportRange(params: URLSearchParams, timezone: string, now = new Date()): ExportRange | string {
  const today = localDate(now, timezone);
  const from = params.get("from") || addDays(today, -29);
  const to = params.get("to") || today;
  if (!DATE.test(from) || !DATE.test(to) || Number.isNaN(Date.parse(from)) || Number.isNaN(Date.parse(to))) {
    return "dates must be YYYY-MM-DD";
  }
  if (from > to) return "the range starts after it ends";
  return { from, to };
}

const LEDGER_HEADER = [
  "entry_id",
  "occurred_at",
  "customer_id",
  "email",
  "kind",
  "points",
  "pending_points",
  "debt_points",
  "reserved_points",
  "reason",
  "source",
  "order_id",
  "order_name",
];

const BALANCE_HEADER = [
  "customer_id",
  "email",
  "last_name",
  "first_name",
  "available",
  "pending",
  "debt",
  "reserved",
  "tier",
];

/**
 * A CSV streamed a page at a time, so a shop with millions of entries never holds them in memory. The ledger
 * is append-only: the export stops at the last entry that existed when it began, a consistent cut.
 */
export function exportCsv(prisma: PrismaClient, shop: Shop, kind: ExportKind, range: ExportRange) {
  const start = startOfLocalDay(range.from, shop.timezone);
  const end = startOfLocalDay(addDays(range.to, 1), shop.timezone);
  const encoder = new TextEncoder();
  let cursor: string | bigint | null = null;
  let last: bigint | null = null;
  let headerSent = false;

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        const max = await prisma.ledgerEntry.aggregate({ where: { shopId: shop.id }, _max: { id: true } });
        last = max._max.id ?? 0n;
        // A BOM so Excel (the Japanese default included) opens the UTF-8 file with the right encoding.
        controller.enqueue(encoder.encode(`\ufeff${csvRow(kind === "ledger" ? LEDGER_HEADER : BALANCE_HEADER)}`));
        return;
      }
      const page = kind === "ledger" ? await ledgerPage() : await balancePage();
      if (page === null) {
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(page));
    },
  });

  async function ledgerPage(): Promise<string | null> {
    const rows = await prisma.$queryRaw<
      Array<{
        id: bigint;
        occurredAt: Date;
        customerId: string;
        email: string | null;
        kind: string;
        points: number;
        pendingPoints: number;
        debtPoints: number;
        reservedPoints: number;
        reason: string;
        sourceType: string;
        orderId: string | null;
        orderName: string | null;
      }>
    >`
      SELECT e.id, e."occurredAt", m."customerId", m.email, e.kind::text AS kind, e.points, e."pendingPoints",
             e."debtPoints", e."reservedPoints", e.reason, e."sourceType", e."orderId", o.name AS "orderName"
      FROM "LedgerEntry" e
      JOIN "Member" m ON m.id = e."memberId"
      LEFT JOIN "Order" o ON o."shopId" = e."shopId" AND o."orderId" = e."orderId"
      WHERE e."shopId" = ${shop.id} AND e."occurredAt" >= ${start} AND e."occurredAt" < ${end}
        AND e.id > ${(cursor as bigint | null) ?? 0n} AND e.id <= ${last}
      ORDER BY e.id LIMIT ${PAGE}`;
    if (rows.length === 0) return null;
    cursor = rows[rows.length - 1].id;
    return rows
      .map((r) =>
        csvRow([
          r.id.toString(),
          r.occurredAt.toISOString(),
          r.customerId,
          r.email,
          r.kind,
          r.points,
          r.pendingPoints,
          r.debtPoints,
          r.reservedPoints,
          r.reason,
          r.sourceType,
          r.orderId,
          r.orderName,
        ]),
      )
      .join("");
  }

  /** Each member's balance at the end of the range, summed from the ledger (not today's cache). */
  async function balancePage(): Promise<string | null> {
    const rows = await prisma.$queryRaw<
      Array<{
        id: string;
        customerId: string;
        email: string | null;
        lastName: string | null;
        firstName: string | null;
        tierId: string | null;
        available: bigint;
        pending: bigint;
        debt: bigint;
        reserved: bigint;
      }>
    >`
      SELECT m.id, m."customerId", m.email, m."lastName", m."firstName", m."tierId",
             COALESCE(SUM(e.points - e."pendingPoints" + e."debtPoints" - e."reservedPoints"), 0) AS available,
             COALESCE(SUM(e."pendingPoints"), 0) AS pending, COALESCE(SUM(e."debtPoints"), 0) AS debt,
             COALESCE(SUM(e."reservedPoints"), 0) AS reserved
      FROM "Member" m
      LEFT JOIN "LedgerEntry" e ON e."memberId" = m.id AND e."occurredAt" < ${end} AND e.id <= ${last}
      WHERE m."shopId" = ${shop.id} AND m.id > ${(cursor as string | null) ?? ""} AND m."redactedAt" IS NULL
      GROUP BY m.id ORDER BY m.id LIMIT ${PAGE}`;
    if (rows.length === 0) return null;
    cursor = rows[rows.length - 1].id;
    return rows
      .map((r) =>
        csvRow([
          r.customerId,
          r.email,
          r.lastName,
          r.firstName,
          Number(r.available),
          Number(r.pending),
          Number(r.debt),
          Number(r.reserved),
          r.tierId,
        ]),
      )
      .join("");
  }
}
