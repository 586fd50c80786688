import { createHash } from "node:crypto";
import {
  decideImportRow,
  importCreditContent,
  lotExpiresAt,
  type ExpiryLot,
  type HistoryLine,
  type ImportRowDecision,
  type RowContext,
} from "./balance-import";
import { mappingFromForm, recogniseHeader, type ColumnMapping } from "./columns";
import { CsvError, type CsvEncoding, type CsvRow } from "../shared/csv";
import { readCsv } from "../shared/csv-stream";
import { localDate, startOfLocalDay } from "../shared/calendar";
import { Prisma, type ImportJob, type ImportRow, type PrismaClient, type Shop } from "../generated/prisma/client";
import { creditMany, noteMany, type Credit, type Note } from "../ledger/ledger.server";
import { lockMembers } from "../members/members.server";
import { currentProgram } from "../shops/shops.server";
import type { Tx } from "../db/transaction.server";

/**
 * The ceiling of one upload. The file is streamed to the database row by row and never held, so this bounds how
 * long an upload may run, not memory: a million-row export with expiry lots, tiers and history is a few hundred MB.
 * Larger files are refused (413) before a byte is read when their size is declared, and as soon as they pass it.
 */
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 2_000_000;
/** Rows decided, matched and staged per transaction while the upload streams in. */
const STAGE_BATCH = 2_000;
const APPLY_BATCH = 500;
/** Rows of a job looked at per query when analysing what applying it would meet. */
const ANALYSIS_CHUNK = 5_000;
/** Rows shown to the merchant when the header needs mapping. */
const SAMPLE_ROWS = 5;
/** A dry run that never finished (its process stopped mid-upload) is removed after this long. */
const ABANDONED_CHECK_MS = 24 * 60 * 60 * 1000;

export class ImportRefused extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const CREDIT_KEY_PREFIX = "import:content:";

/**
 * The ledger idempotency key of one imported credit: the member and the row's content (its points and note, as
 * importCreditContent in app/imports/balance-import.ts defines "the same content"), never the file. The same content
 * for the same member, from this file, the same rows saved again in other bytes, or any other file, always has the
 * same key, so the ledger's unique (shop, idempotency key) constraint lets it be credited once, even when two
 * imports are applied at once or a crashed one resumes.
 */
export function importCreditKey(memberId: string, points: number, note: string | null, lots: ExpiryLot[] = []): string {
  const content = createHash("sha256")
    .update(importCreditContent(points, note, lots))
    .digest("hex");
  return `${CREDIT_KEY_PREFIX}${memberId}:${content}`;
}

/**
 * The keys of one row's credit entries: a balance with dated parts is credited as one entry (and lot) per part,
 * the first under the row's credit key and the others after it (`#1`, `#2`…), all in one transaction, so the first
 * key being in the ledger means the whole balance is.
 */
export function creditPartKey(creditKey: string, part: number): string {
  return part === 0 ? creditKey : `${creditKey}#${part}`;
}

const HISTORY_KEY_PREFIX = "import:history:";
/** Import entries that credit points (history lines are entries of 0 points with keys of their own). */
const CREDITS_ONLY = Prisma.sql`e."idempotencyKey" NOT LIKE ${`${HISTORY_KEY_PREFIX}%`}`;

/** The ledger key of a history line: the member and the line's content, with its place among identical lines. */
function historyKey(memberId: string, line: HistoryLine, occurrence: number): string {
  const content = createHash("sha256")
    .update(`${line.date}\n${line.points}\n${line.description.normalize("NFKC").trim()}`)
    .digest("hex");
  return `${HISTORY_KEY_PREFIX}${memberId}:${content}:${occurrence}`;
}

const lotsOf = (row: Pick<ImportRow, "lots">): ExpiryLot[] => (row.lots as ExpiryLot[] | null) ?? [];
const historyOf = (row: Pick<ImportRow, "history">): HistoryLine[] => (row.history as HistoryLine[] | null) ?? [];

/** An earlier import that credited members of this one. */
export interface EarlierImport {
  job: string;
  fileName: string;
  /** When its credits were written (the apply). */
  importedAt: Date;
  /** How many members of this import it credited. */
  members: number;
}

export interface ImportAnalysis {
  /** Rows whose very content (same member, points and note) an import already credited: they add nothing. */
  alreadyImported: number;
  /** Members of this import who already hold a balance from an earlier import. */
  overlapping: number;
  /** The earlier imports those balances came from, oldest first. */
  earlierImports: EarlierImport[];
  /** By row id, for the rows whose member an earlier import credited. */
  rows: Map<bigint, { duplicate: boolean; earlier: Array<{ fileName: string; importedAt: Date }> }>;
}

export interface ImportCheck extends Omit<ImportAnalysis, "rows"> {
  job: ImportJob;
  encoding: CsvEncoding;
  ignoredColumns: string[];
  /** The loyalty app whose export the header looks like, when its column names say so. */
  recognisedApp: string | null;
}

/** A header that names no balance or no customer column: the merchant maps the columns and checks again. */
export interface MappingNeeded {
  header: string[];
  /** The first rows, so the merchant sees what each column holds. */
  sample: string[][];
  /** What the header did name, as a start for the form. */
  mapping: ColumnMapping;
  missing: Array<"balance" | "customer">;
  encoding: CsvEncoding;
}

export type CheckOutcome = { checked: ImportCheck } | { needsMapping: MappingNeeded };

/**
 * The import credits the members of a job's valid rows `rowIds` already hold, from any import this one included,
 * each with the content key it credited. Credits written before content keys existed carry the file's hash in
 * their key: their content key is derived from the import row they credited.
 */
async function heldImportCredits(tx: Tx, jobId: string, rowIds: bigint[]) {
  if (rowIds.length === 0) return [];
  const found = await tx.$queryRaw<
    Array<{
      rowId: bigint;
      memberId: string;
      rowKey: string | null;
      rowPoints: number;
      rowNote: string | null;
      rowLots: ExpiryLot[] | null;
      key: string;
      jobId: string | null;
      fileName: string | null;
      importedAt: Date;
      // Only for a credit keyed by the file's hash (written before content keys): the row it credited.
      credited: { points: number; note: string | null } | null;
    }>
  >`
    SELECT r.id AS "rowId", r."memberId", r."creditKey" AS "rowKey", r.points AS "rowPoints", r.note AS "rowNote",
           r.lots AS "rowLots", e."idempotencyKey" AS key, e."sourceId" AS "jobId", j."fileName",
           e."occurredAt" AS "importedAt",
           CASE WHEN e."idempotencyKey" NOT LIKE ${`${CREDIT_KEY_PREFIX}%`} THEN (
             SELECT json_build_object('points', p.points, 'note', p.note) FROM "ImportRow" p
             WHERE p."jobId" = e."sourceId" AND p."memberId" = e."memberId" AND p.rejected IS NULL LIMIT 1
           ) END AS credited
    FROM "ImportRow" r
    JOIN "LedgerEntry" e ON e."memberId" = r."memberId" AND e."sourceType" = 'import' AND ${CREDITS_ONLY}
    LEFT JOIN "ImportJob" j ON j.id = e."sourceId"
    WHERE r."jobId" = ${jobId} AND r.rejected IS NULL AND r."memberId" IS NOT NULL
      AND r.id = ANY(${rowIds.map(String)}::bigint[])
    ORDER BY r.id, e.id`;
  return found.map((row) => ({
    rowId: row.rowId,
    memberId: row.memberId,
    rowKey: row.rowKey ?? importCreditKey(row.memberId, row.rowPoints, row.rowNote, row.rowLots ?? []),
    creditedKey: row.credited ? importCreditKey(row.memberId, row.credited.points, row.credited.note) : row.key,
    jobId: row.jobId,
    fileName: row.fileName ?? "?",
    importedAt: row.importedAt,
  }));
}

/**
 * What applying a checked job would meet: the members who already hold an imported balance from another import
 * (named, with its date), and the rows whose very content was already credited (they will add nothing). Read a
 * chunk of rows at a time, so a million-row job is analysed in constant memory; per-row flags are kept only for
 * `keep` (the rows a page shows).
 */
export async function analyseImport(tx: Tx, jobId: string, keep: Set<bigint> = new Set()): Promise<ImportAnalysis> {
  const rows = new Map<bigint, { duplicate: boolean; earlier: Array<{ fileName: string; importedAt: Date }> }>();
  const jobs = new Map<string, { fileName: string; importedAt: Date; members: number }>();
  let alreadyImported = 0;
  let overlapping = 0;
  let after = BigInt(0);
  for (;;) {
    const ids = await tx.$queryRaw<Array<{ id: bigint }>>`
      SELECT id FROM "ImportRow"
      WHERE "jobId" = ${jobId} AND rejected IS NULL AND "memberId" IS NOT NULL AND id > ${after}
      ORDER BY id LIMIT ${ANALYSIS_CHUNK}`;
    if (ids.length === 0) break;
    after = ids[ids.length - 1].id;
    const chunk = new Map<
      bigint,
      { duplicate: boolean; earlier: Map<string, { fileName: string; importedAt: Date }> }
    >();
    for (const credit of await heldImportCredits(
      tx,
      jobId,
      ids.map((row) => row.id),
    )) {
      if (credit.jobId === jobId) continue;
      const id = credit.jobId ?? "?";
      const row = chunk.get(credit.rowId) ?? { duplicate: false, earlier: new Map() };
      chunk.set(credit.rowId, row);
      if (credit.creditedKey === credit.rowKey) row.duplicate = true;
      // One import's credits to one member share a date unless a resumed apply wrote them later: the first one counts.
      if (!row.earlier.has(id)) row.earlier.set(id, { fileName: credit.fileName, importedAt: credit.importedAt });
      const job = jobs.get(id) ?? { fileName: credit.fileName, importedAt: credit.importedAt, members: 0 };
      jobs.set(id, job);
      if (credit.importedAt < job.importedAt) job.importedAt = credit.importedAt;
    }
    for (const [rowId, row] of chunk) {
      overlapping += 1;
      if (row.duplicate) alreadyImported += 1;
      // A job's valid rows name distinct members, so counting rows counts members.
      for (const id of row.earlier.keys()) jobs.get(id)!.members += 1;
      if (keep.has(rowId)) rows.set(rowId, { duplicate: row.duplicate, earlier: [...row.earlier.values()] });
    }
  }
  return {
    alreadyImported,
    overlapping,
    earlierImports: [...jobs.entries()]
      .map(([job, { fileName, importedAt, members }]) => ({ job, fileName, importedAt, members }))
      .sort((a, b) => a.importedAt.getTime() - b.importedAt.getTime()),
    rows,
  };
}

/** Matches one batch's rows to the shop's members (every Shopify customer, once synced), by customer id or email. */
async function resolveMembers(tx: Tx, shopId: string, decisions: ImportRowDecision[]) {
  const byId = new Map<string, string>();
  const byEmail = new Map<string, string>();
  const ids = [...new Set(decisions.filter((d) => !d.rejected && d.by === "customerId").map((d) => d.customer))];
  const emails = [...new Set(decisions.filter((d) => !d.rejected && d.by === "email").map((d) => d.customer))];
  if (ids.length > 0) {
    const rows = await tx.$queryRaw<Array<{ id: string; customerId: string }>>`
      SELECT id, "customerId" FROM "Member"
      WHERE "shopId" = ${shopId} AND "customerId" = ANY(${ids}::text[]) AND "redactedAt" IS NULL`;
    for (const row of rows) byId.set(row.customerId, row.id);
  }
  if (emails.length > 0) {
    const rows = await tx.$queryRaw<Array<{ id: string; email: string }>>`
      SELECT id, lower(email) AS email FROM "Member"
      WHERE "shopId" = ${shopId} AND lower(email) = ANY(${emails}::text[]) AND "redactedAt" IS NULL`;
    for (const row of rows) {
      // Two members sharing an email cannot be told apart: such rows must name the customer id.
      byEmail.set(row.email, byEmail.has(row.email) ? "" : row.id);
    }
  }
  return { byId, byEmail };
}

/** Decides, matches and stages one batch of rows, in one transaction. */
async function stageBatch(
  prisma: PrismaClient,
  shop: Shop,
  jobId: string,
  batch: CsvRow[],
  mapping: ColumnMapping,
  context: RowContext,
) {
  const decisions = batch.map((row) => decideImportRow(row.fields, mapping, context));
  await prisma.$transaction(
    async (tx) => {
      const { byId, byEmail } = await resolveMembers(tx, shop.id, decisions);
      const data = decisions.map((decision, index) => {
        let rejected = decision.rejected;
        let memberId: string | null = null;
        if (!rejected) {
          memberId = (decision.by === "customerId" ? byId : byEmail).get(decision.customer) ?? null;
          if (memberId === "") {
            rejected = `more than one customer has the email ${decision.customer}: use the customer id`;
            memberId = null;
          } else if (!memberId) {
            rejected = `no customer ${decision.customer} in this shop: not among its Shopify customers`;
          }
        }
        const { points, note, lots, tierId, history } = decision;
        const valid = memberId !== null && !rejected;
        return {
          line: batch[index].line,
          customer: decision.customer,
          memberId,
          points,
          note,
          rejected,
          // The ledger key of this row's credit, from its content: see importCreditKey.
          creditKey: valid && points > 0 ? importCreditKey(memberId!, points, note, lots) : null,
          lots: valid && lots.length > 0 ? JSON.stringify(lots) : null,
          tierId: valid ? tierId : null,
          history: valid && history.length > 0 ? JSON.stringify(history) : null,
        };
      });
      // One statement of arrays per batch: a multi-row insert of 2,000 rows would bind 20,000 parameters.
      await tx.$executeRaw`
        INSERT INTO "ImportRow" ("jobId", line, customer, "memberId", points, note, rejected, "creditKey", lots, "tierId",
                                 history)
        SELECT ${jobId}, * FROM unnest(
          ${data.map((r) => r.line)}::int[], ${data.map((r) => r.customer)}::text[],
          ${data.map((r) => r.memberId)}::text[], ${data.map((r) => r.points)}::int[], ${data.map((r) => r.note)}::text[],
          ${data.map((r) => r.rejected)}::text[], ${data.map((r) => r.creditKey)}::text[],
          ${data.map((r) => r.lots)}::jsonb[], ${data.map((r) => r.tierId)}::text[], ${data.map((r) => r.history)}::jsonb[])`;
    },
    { timeout: 120_000 },
  );
}

/**
 * The dry run, streamed: the file is decoded (UTF-8 or Shift_JIS), parsed and checked row by row as the upload
 * arrives, and staged in the job's rows a batch at a time, each matched to the shop's members; nothing touches a
 * balance until the job is applied. A header that names no balance or customer column stops at the header (and
 * a few rows) and asks for a mapping; `mapping` (the merchant's, from the form) is used instead of the header's
 * names. A file that cannot be read to its end (broken CSV, too large, too many rows) leaves no job behind.
 */
export async function checkImport(
  prisma: PrismaClient,
  shop: Shop,
  fileName: string,
  source: AsyncIterable<Uint8Array> | Uint8Array,
  actor: string,
  options: { mapping?: unknown; now?: Date } = {},
): Promise<CheckOutcome> {
  const hash = createHash("sha256");
  let size = 0;
  async function* bytes() {
    for await (const chunk of source instanceof Uint8Array ? [source] : source) {
      size += chunk.byteLength;
      if (size > MAX_IMPORT_BYTES) {
        throw new ImportRefused(
          `the file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB; split it into parts`,
          413,
        );
      }
      hash.update(chunk);
      yield chunk;
    }
  }
  const csv = readCsv(bytes());
  const rows = csv.rows[Symbol.asyncIterator]();
  let jobId: string | null = null;
  try {
    const first = await rows.next();
    if (first.done) throw new ImportRefused("the file is empty");
    const header = first.value.fields;
    let mapping: ColumnMapping;
    let ignored: string[];
    let recognisedApp: string | null = null;
    if (options.mapping !== undefined) {
      const mapped = mappingFromForm(header, options.mapping);
      if ("error" in mapped) throw new ImportRefused(mapped.error);
      ({ mapping, ignored } = mapped);
    } else {
      const recognised = recogniseHeader(header);
      if (recognised.missing.length > 0) {
        const sample: string[][] = [];
        for (let next = await rows.next(); !next.done && sample.length < SAMPLE_ROWS; next = await rows.next()) {
          sample.push(next.value.fields);
          if (sample.length === SAMPLE_ROWS) break;
        }
        await rows.return?.();
        return {
          needsMapping: {
            header,
            sample,
            mapping: recognised.mapping,
            missing: recognised.missing,
            encoding: csv.encoding(),
          },
        };
      }
      ({ mapping, ignored } = recognised);
      recognisedApp = recognised.app;
    }

    const now = options.now ?? new Date();
    const { settings } = await prisma.$transaction((tx) => currentProgram(tx, shop));
    const context: RowContext = {
      today: localDate(now, shop.timezone),
      timezone: shop.timezone,
      tiers: settings.tiers.levels.map((level) => ({ id: level.id, name: level.name })),
    };
    const job = await prisma.importJob.create({
      data: {
        shopId: shop.id,
        fileName: fileName.slice(0, 200) || "import.csv",
        fileHash: "",
        status: "checking",
        totalRows: 0,
        validRows: 0,
        rejectedRows: 0,
        mapping: mapping as Prisma.InputJsonValue,
        createdBy: actor,
      },
    });
    jobId = job.id;
    let total = 0;
    let batch: CsvRow[] = [];
    for (let next = await rows.next(); !next.done; next = await rows.next()) {
      total += 1;
      if (total > MAX_IMPORT_ROWS) {
        throw new ImportRefused(
          `the file has more than ${MAX_IMPORT_ROWS.toLocaleString("en")} rows; split it into parts`,
        );
      }
      batch.push(next.value);
      if (batch.length === STAGE_BATCH) {
        await stageBatch(prisma, shop, job.id, batch, mapping, context);
        batch = [];
      }
    }
    if (batch.length > 0) await stageBatch(prisma, shop, job.id, batch, mapping, context);
    if (total === 0) throw new ImportRefused("the file has a header but no rows");

    const checked = await prisma.$transaction(
      async (tx) => {
        // The same member on several lines: the first line counts, the others are rejected (set-wise, so no map of
        // every member in the file is ever held).
        await tx.$executeRaw`
          UPDATE "ImportRow" r
          SET rejected = 'the same customer is already on line ' || f.first, "memberId" = NULL, "creditKey" = NULL,
              lots = NULL, "tierId" = NULL, history = NULL
          FROM (
            SELECT "memberId", min(line) AS first FROM "ImportRow"
            WHERE "jobId" = ${job.id} AND rejected IS NULL AND "memberId" IS NOT NULL
            GROUP BY "memberId" HAVING count(*) > 1
          ) f
          WHERE r."jobId" = ${job.id} AND r."memberId" = f."memberId" AND r.line > f.first`;
        const [totals] = await tx.$queryRaw<Array<{ total: number; valid: number; points: bigint }>>`
          SELECT count(*)::int AS total, (count(*) FILTER (WHERE rejected IS NULL))::int AS valid,
                 coalesce(sum(points) FILTER (WHERE rejected IS NULL), 0)::bigint AS points
          FROM "ImportRow" WHERE "jobId" = ${job.id}`;
        return tx.importJob.update({
          where: { id: job.id },
          data: {
            status: "checked",
            fileHash: hash.digest("hex"),
            totalRows: totals.total,
            validRows: totals.valid,
            rejectedRows: totals.total - totals.valid,
            points: Number(totals.points),
          },
        });
      },
      { timeout: 300_000 },
    );
    const { alreadyImported, overlapping, earlierImports } = await analyseImport(prisma, checked.id);
    return {
      checked: {
        job: checked,
        encoding: csv.encoding(),
        ignoredColumns: ignored,
        recognisedApp,
        alreadyImported,
        overlapping,
        earlierImports,
      },
    };
  } catch (error) {
    // Nothing of a file that could not be read to its end stays: its staged rows go with the job.
    if (jobId) await prisma.importJob.delete({ where: { id: jobId } }).catch(() => undefined);
    if (error instanceof CsvError) throw new ImportRefused(`not a readable CSV file: ${error.message}`);
    throw error;
  } finally {
    await rows.return?.();
  }
}

/**
 * Rows of a checked import, for the dry-run report: current and resulting balances, or the reason rejected.
 * `skipped`: applied without a credit of this import, because the same content had been credited before.
 */
export async function importPreview(tx: Tx, jobId: string, rejectedOnly: boolean, take = 100) {
  const rows = await tx.$queryRaw<
    Array<{
      id: bigint;
      line: number;
      customer: string;
      points: number;
      rejected: string | null;
      applied: boolean;
      skipped: boolean;
      available: number | null;
      name: string | null;
      lots: ExpiryLot[] | null;
      tierId: string | null;
      history: HistoryLine[] | null;
    }>
  >`
    SELECT r.id, r.line, r.customer, r.points, r.rejected, r.applied, m."pointsAvailable" AS available,
           r.lots, r."tierId", r.history,
           r.applied AND r.rejected IS NULL AND r.points > 0 AND NOT EXISTS (
             SELECT 1 FROM "LedgerEntry" e
             WHERE e."memberId" = r."memberId" AND e."sourceType" = 'import' AND e."sourceId" = r."jobId"
               AND ${CREDITS_ONLY}
           ) AS skipped,
           nullif(trim(coalesce(m."lastName", '') || ' ' || coalesce(m."firstName", '')), '') AS name
    FROM "ImportRow" r LEFT JOIN "Member" m ON m.id = r."memberId"
    WHERE r."jobId" = ${jobId} AND (r.rejected IS NOT NULL) = ${rejectedOnly}
    ORDER BY r.line LIMIT ${take}`;
  return rows;
}

/** Rows of an applied import that added nothing: the same content had been credited before. */
async function skippedRows(tx: Tx, jobId: string): Promise<number> {
  const [{ count }] = await tx.$queryRaw<Array<{ count: number }>>`
    SELECT count(*)::int AS count FROM "ImportRow" r
    WHERE r."jobId" = ${jobId} AND r.rejected IS NULL AND r.applied AND r.points > 0 AND NOT EXISTS (
      SELECT 1 FROM "LedgerEntry" e
      WHERE e."memberId" = r."memberId" AND e."sourceType" = 'import' AND e."sourceId" = r."jobId" AND ${CREDITS_ONLY}
    )`;
  return count;
}

/**
 * One import's report. Checked (the dry run): every member who already holds an imported balance, naming the
 * import it came from and when, and the rows whose very content was already credited. Applied: the rows that
 * added nothing. While it runs, only the rows (the page polls it).
 */
export async function importReport(tx: Tx, job: ImportJob) {
  const valid = await importPreview(tx, job.id, false);
  const rejected = await importPreview(tx, job.id, true);
  const analysis =
    job.status === "checked" ? await analyseImport(tx, job.id, new Set(valid.map((row) => row.id))) : null;
  return {
    alreadyImported: analysis?.alreadyImported ?? (job.status === "applied" ? await skippedRows(tx, job.id) : 0),
    overlapping: analysis?.overlapping ?? 0,
    earlierImports: (analysis?.earlierImports ?? []).map((earlier) => ({
      ...earlier,
      importedAt: earlier.importedAt.toISOString(),
    })),
    valid: valid.map(({ id, line, customer, name, points, available, skipped, lots, tierId, history }) => {
      const flags = analysis?.rows.get(id);
      return {
        line,
        customer,
        name,
        points,
        available,
        /** Dated parts of the balance; the rest expires as the program's earned points do. */
        lots: lots ?? [],
        tierId,
        historyLines: history?.length ?? 0,
        /** Adds nothing: the same member already received this very content. */
        duplicate: flags?.duplicate ?? skipped,
        /** Earlier imports this member holds a balance from (dry run only). */
        earlier: (flags?.earlier ?? []).map((e) => ({ fileName: e.fileName, importedAt: e.importedAt.toISOString() })),
      };
    }),
    rejected: rejected.map(({ line, customer, rejected: reason }) => ({ line, customer, rejected: reason })),
  };
}

const running = new Set<string>();

/**
 * Applies a checked import in batches of rows, each batch in its own transaction. Each row's credit is keyed by
 * member and content (importCreditKey), so a crash, a second click, the same file imported again or the same rows
 * in another file add nothing twice; progress lives in the job row, so a reload (or a restart, see resumeImports)
 * picks up where it stopped. A row's dated parts become lots expiring at the end of their shop-local dates, the
 * rest a lot expiring as the program's earned points do; its tier is set (recorded as a tier change, without the
 * tier's reaching bonus: the member reached it in the other app); its history lines become entries of 0 points.
 */
export async function applyImport(prisma: PrismaClient, jobId: string, actor: string, now = new Date()) {
  if (running.has(jobId)) return;
  running.add(jobId);
  try {
    const job = await prisma.importJob.findUniqueOrThrow({ where: { id: jobId }, include: { shop: true } });
    if (job.status === "applied" || job.status === "checking") return;
    if (job.status === "checked") {
      await prisma.importJob.update({ where: { id: job.id }, data: { status: "applying" } });
      await prisma.auditLog.create({
        data: {
          shopId: job.shopId,
          actor,
          action: "import.started",
          subject: job.fileName,
          after: { rows: job.validRows, points: job.points, fileHash: job.fileHash, mapping: job.mapping ?? undefined },
        },
      });
    }
    const timezone = job.shop.timezone;
    // A cursor over row ids: each batch starts after the last, instead of scanning past every row already applied.
    let after = BigInt(0);
    for (;;) {
      const done = await prisma.$transaction(
        async (tx) => {
          const rows = await tx.importRow.findMany({
            where: { jobId: job.id, rejected: null, applied: false, id: { gt: after } },
            orderBy: { id: "asc" },
            take: APPLY_BATCH,
          });
          if (rows.length === 0) return true;
          after = rows[rows.length - 1].id;
          const { settings, version } = await currentProgram(tx, job.shop);
          // Rows checked before content keys existed get theirs now, from the same content.
          const keyOf = (row: (typeof rows)[number]) =>
            row.creditKey ?? importCreditKey(row.memberId!, row.points, row.note, lotsOf(row));
          // Lock, then look: another import crediting these members (at once, or resumed) has committed before
          // this batch reads what they hold. Content already credited, by any import, is skipped; should anything
          // slip past this look, the ledger's unique key refuses the second credit and the batch rolls back whole.
          const members = await lockMembers(
            tx,
            rows.map((row) => row.memberId!),
          );
          const held = await heldImportCredits(
            tx,
            job.id,
            rows.map((row) => row.id),
          );
          const skip = new Set(held.map((credit) => credit.creditedKey));
          const credits: Credit[] = [];
          for (const row of rows) {
            if (row.points <= 0 || skip.has(keyOf(row))) continue;
            const member = members.get(row.memberId!)!;
            const reason = row.note ? `Imported balance: ${row.note}` : `Imported balance (${job.fileName})`;
            const lots = lotsOf(row);
            const parts: Array<{ points: number; expiresAt?: Date }> = lots.map((lot) => ({
              points: lot.points,
              expiresAt: lotExpiresAt(lot.expiresOn, timezone),
            }));
            const rest = row.points - lots.reduce((sum, lot) => sum + lot.points, 0);
            if (rest > 0) parts.push({ points: rest });
            parts.forEach((part, index) =>
              credits.push({ member, reason, idempotencyKey: creditPartKey(keyOf(row), index), ...part }),
            );
          }
          await creditMany(tx, credits, settings, timezone, {
            sourceType: "import",
            sourceId: job.id,
            programVersionId: version.id,
            occurredAt: now,
          });
          const notes: Note[] = rows.flatMap((row) => {
            const seen = new Map<string, number>();
            return historyOf(row).map((line) => {
              const same = `${line.date}\n${line.points}\n${line.description}`;
              seen.set(same, (seen.get(same) ?? 0) + 1);
              const sign = line.points > 0 ? "+" : "";
              return {
                member: members.get(row.memberId!)!,
                reason: `Previous app, ${line.date}: ${line.description || "points"} (${sign}${line.points} points, shown only)`,
                idempotencyKey: historyKey(row.memberId!, line, seen.get(same)!),
                occurredAt: startOfLocalDay(line.date, timezone),
                calculation: { importedHistory: { ...line, file: job.fileName } },
              };
            });
          });
          await noteMany(tx, notes, { sourceType: "import", sourceId: job.id, programVersionId: version.id });
          const tiers = rows.filter((row) => row.tierId && members.get(row.memberId!)!.tierId !== row.tierId);
          if (tiers.length > 0) {
            await tx.$executeRaw`
              UPDATE "Member" m SET "tierId" = c.tier, "tierSince" = ${now}, "tierBelowSince" = NULL, "updatedAt" = now()
              FROM unnest(${tiers.map((row) => row.memberId!)}::text[], ${tiers.map((row) => row.tierId!)}::text[])
                AS c(id, tier)
              WHERE m.id = c.id`;
            await tx.tierChange.createMany({
              data: tiers.map((row) => ({
                memberId: row.memberId!,
                fromTier: members.get(row.memberId!)!.tierId,
                toTier: row.tierId,
                reason: `imported from ${job.fileName}`,
                value: 0,
              })),
            });
          }
          await tx.importRow.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { applied: true } });
          await tx.importJob.update({ where: { id: job.id }, data: { appliedRows: { increment: rows.length } } });
          return false;
        },
        { timeout: 120_000 },
      );
      if (done) break;
    }
    // The audit entry and the status in one transaction: whoever sees the import applied also finds its record.
    await prisma.$transaction(async (tx) => {
      // What this import itself credited (found from its rows, so through the members' ledger index).
      const [credited] = await tx.$queryRaw<Array<{ rows: number; points: number }>>`
        SELECT count(DISTINCT r.id)::int AS rows, coalesce(sum(e.points), 0)::int AS points
        FROM "ImportRow" r
        JOIN "LedgerEntry" e ON e."memberId" = r."memberId" AND e."sourceType" = 'import' AND e."sourceId" = r."jobId"
          AND ${CREDITS_ONLY}
        WHERE r."jobId" = ${job.id} AND r.rejected IS NULL`;
      await tx.auditLog.create({
        data: {
          shopId: job.shopId,
          actor,
          action: "import.applied",
          subject: job.fileName,
          // Rows whose content had already been credited count in `rows` but not in `credited`.
          after: { rows: job.validRows, points: job.points, credited },
        },
      });
      await tx.importJob.update({ where: { id: job.id }, data: { status: "applied", appliedAt: new Date() } });
    });
  } finally {
    running.delete(jobId);
  }
}

/**
 * Imports left "applying" by a restart carry on. A dry run left "checking" cannot (its upload is gone): after a
 * day it is removed with its staged rows, and the merchant uploads the file again.
 */
export async function resumeImports(prisma: PrismaClient, now = new Date()): Promise<number> {
  await prisma.importJob.deleteMany({
    where: { status: "checking", createdAt: { lt: new Date(now.getTime() - ABANDONED_CHECK_MS) } },
  });
  const jobs = await prisma.importJob.findMany({
    where: { status: "applying" },
    select: { id: true, createdBy: true },
  });
  for (const job of jobs) await applyImport(prisma, job.id, job.createdBy);
  return jobs.length;
}

export interface SpotCheckLot {
  points: number;
  /** The shop-local date the lot expires at the end of; null: as the program's earned points do. */
  expiresOn: string | null;
}

export interface SpotCheckRow {
  line: number;
  customer: string;
  memberId: string;
  name: string | null;
  /** What the file said. */
  imported: { points: number; lots: SpotCheckLot[]; tierId: string | null };
  /** What the app holds now: the member's net points, the lots of the credit and what they still hold. */
  app: { balance: number; lots: Array<SpotCheckLot & { remaining: number }>; tierId: string | null };
  /** Points from the member's other ledger entries (orders, redemptions, other imports…): explain a difference. */
  otherActivity: number;
  match: boolean;
  problems: Array<
    | { code: "notCredited" }
    | { code: "creditedPoints"; expected: number; found: number }
    | { code: "lot"; date: string; expected: number; found: number }
    | { code: "balance"; expected: number; found: number }
    | { code: "tier"; expected: string; found: string }
  >;
}

/**
 * The spot-check after applying: `size` random members of the import, each with the value the file gave and
 * what the app holds now. A row matches when its credit is in the ledger with exactly the file's points, each
 * dated part is a lot of that size expiring at the end of that date, the tier is the file's, and the member's
 * balance is the imported value plus the member's other ledger activity (shown, so a difference is explained).
 */
export async function spotCheck(tx: Tx, job: ImportJob & { shop: Shop }, size: number): Promise<SpotCheckRow[]> {
  const sample = await tx.$queryRaw<
    Array<ImportRow & { name: string | null; balance: number; memberTier: string | null }>
  >`
    SELECT r.*, m."pointsAvailable" + m."pointsPending" + m."pointsReserved" - m."pointsDebt" AS balance,
           m."tierId" AS "memberTier",
           nullif(trim(coalesce(m."lastName", '') || ' ' || coalesce(m."firstName", '')), '') AS name
    FROM "ImportRow" r JOIN "Member" m ON m.id = r."memberId"
    WHERE r."jobId" = ${job.id} AND r.rejected IS NULL AND r.applied
    ORDER BY random() LIMIT ${size}`;
  const timezone = job.shop.timezone;
  const checked: SpotCheckRow[] = [];
  for (const row of sample) {
    const lots = lotsOf(row);
    const key = row.creditKey ?? importCreditKey(row.memberId!, row.points, row.note, lots);
    const rest = row.points - lots.reduce((sum, lot) => sum + lot.points, 0);
    const parts = [...lots.map((lot) => ({ points: lot.points, expiresOn: lot.expiresOn as string | null }))];
    if (rest > 0) parts.push({ points: rest, expiresOn: null });
    const keys = parts.map((_, index) => creditPartKey(key, index));
    const entries = await tx.$queryRaw<
      Array<{ key: string; points: number; amount: number | null; remaining: number | null; expiresAt: Date | null }>
    >`
      SELECT e."idempotencyKey" AS key, e.points, l.amount, l.remaining, l."expiresAt"
      FROM "LedgerEntry" e LEFT JOIN "Lot" l ON l."earnEntryId" = e.id
      WHERE e."shopId" = ${job.shopId} AND e."idempotencyKey" = ANY(${keys}::text[])`;
    const [{ other }] = await tx.$queryRaw<Array<{ other: bigint }>>`
      SELECT coalesce(sum(points), 0)::bigint AS other FROM "LedgerEntry"
      WHERE "memberId" = ${row.memberId} AND NOT ("idempotencyKey" = ANY(${keys}::text[]))`;
    const otherActivity = Number(other);
    const balance = Number(row.balance);
    const problems: SpotCheckRow["problems"] = [];
    const credited = entries.reduce((sum, entry) => sum + entry.points, 0);
    if (row.points > 0 && entries.length === 0) problems.push({ code: "notCredited" });
    else if (credited !== row.points) problems.push({ code: "creditedPoints", expected: row.points, found: credited });
    const appLots = entries.map((entry) => ({
      points: entry.amount ?? 0,
      remaining: entry.remaining ?? 0,
      expiresOn: entry.expiresAt ? expiryDate(entry.expiresAt, timezone) : null,
    }));
    for (const lot of lots) {
      const expected = lotExpiresAt(lot.expiresOn, timezone).getTime();
      const found = entries
        .filter((entry) => entry.expiresAt?.getTime() === expected)
        .reduce((sum, entry) => sum + (entry.amount ?? 0), 0);
      if (entries.length > 0 && found !== lot.points) {
        problems.push({ code: "lot", date: lot.expiresOn, expected: lot.points, found });
      }
    }
    if (balance !== row.points + otherActivity) {
      problems.push({ code: "balance", expected: row.points + otherActivity, found: balance });
    }
    if (row.tierId && row.memberTier !== row.tierId) {
      problems.push({ code: "tier", expected: row.tierId, found: row.memberTier ?? "—" });
    }
    checked.push({
      line: row.line,
      customer: row.customer,
      memberId: row.memberId!,
      name: row.name,
      imported: { points: row.points, lots: parts, tierId: row.tierId },
      app: { balance, lots: appLots, tierId: row.memberTier },
      otherActivity,
      match: problems.length === 0,
      problems,
    });
  }
  return checked.sort((a, b) => a.line - b.line);
}

/** The shop-local date a lot expires at the end of (its expiry instant is the start of the next day). */
function expiryDate(expiresAt: Date, timezone: string): string {
  return localDate(new Date(expiresAt.getTime() - 1), timezone);
}
