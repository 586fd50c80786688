import { createHash } from "node:crypto";
import { decideImportRow, importColumns, importCreditContent, type ImportRowDecision } from "./balance-import";
import { CsvError, decodeCsvBytes, parseCsv } from "../shared/csv";
import { Prisma, type ImportJob, type PrismaClient, type Shop } from "../generated/prisma/client";
import { creditMany } from "../ledger/ledger.server";
import { lockMembers } from "../members/members.server";
import { currentProgram } from "../shops/shops.server";
import type { Tx } from "../db/transaction.server";

/** Larger files are refused before they are read: 20 MB holds several hundred thousand rows. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 500_000;
const APPLY_BATCH = 500;
const LOOKUP_CHUNK = 5_000;

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
export function importCreditKey(memberId: string, points: number, note: string | null): string {
  const content = createHash("sha256").update(importCreditContent(points, note)).digest("hex");
  return `${CREDIT_KEY_PREFIX}${memberId}:${content}`;
}

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
  encoding: "utf-8" | "shift_jis";
  ignoredColumns: string[];
}

/**
 * The import credits the members of a job's valid rows (all, or `rowIds`) already hold, from any import this one
 * included, each with the content key it credited. Credits written before content keys existed carry the file's
 * hash in their key: their content key is derived from the import row they credited.
 */
async function heldImportCredits(tx: Tx, jobId: string, rowIds?: bigint[]) {
  const found = await tx.$queryRaw<
    Array<{
      rowId: bigint;
      memberId: string;
      rowKey: string | null;
      rowPoints: number;
      rowNote: string | null;
      key: string;
      jobId: string | null;
      fileName: string | null;
      importedAt: Date;
      // Only for a credit keyed by the file's hash (written before content keys): the row it credited.
      credited: { points: number; note: string | null } | null;
    }>
  >`
    SELECT r.id AS "rowId", r."memberId", r."creditKey" AS "rowKey", r.points AS "rowPoints", r.note AS "rowNote",
           e."idempotencyKey" AS key, e."sourceId" AS "jobId", j."fileName", e."occurredAt" AS "importedAt",
           CASE WHEN e."idempotencyKey" NOT LIKE ${`${CREDIT_KEY_PREFIX}%`} THEN (
             SELECT json_build_object('points', p.points, 'note', p.note) FROM "ImportRow" p
             WHERE p."jobId" = e."sourceId" AND p."memberId" = e."memberId" AND p.rejected IS NULL LIMIT 1
           ) END AS credited
    FROM "ImportRow" r
    JOIN "LedgerEntry" e ON e."memberId" = r."memberId" AND e."sourceType" = 'import'
    LEFT JOIN "ImportJob" j ON j.id = e."sourceId"
    WHERE r."jobId" = ${jobId} AND r.rejected IS NULL AND r."memberId" IS NOT NULL
      ${rowIds ? Prisma.sql`AND r.id = ANY(${rowIds.map(String)}::bigint[])` : Prisma.empty}
    ORDER BY r.id, e.id`;
  return found.map((row) => ({
    rowId: row.rowId,
    memberId: row.memberId,
    rowKey: row.rowKey ?? importCreditKey(row.memberId, row.rowPoints, row.rowNote),
    creditedKey: row.credited ? importCreditKey(row.memberId, row.credited.points, row.credited.note) : row.key,
    jobId: row.jobId,
    fileName: row.fileName ?? "?",
    importedAt: row.importedAt,
  }));
}

/**
 * What applying a checked job would meet: the members who already hold an imported balance from another import
 * (named, with its date), and the rows whose very content was already credited (they will add nothing).
 */
export async function analyseImport(tx: Tx, jobId: string): Promise<ImportAnalysis> {
  const rows = new Map<bigint, { duplicate: boolean; earlier: Map<string, { fileName: string; importedAt: Date }> }>();
  const jobs = new Map<string, { fileName: string; importedAt: Date; memberIds: Set<string> }>();
  for (const credit of await heldImportCredits(tx, jobId)) {
    if (credit.jobId === jobId) continue;
    const id = credit.jobId ?? "?";
    const row = rows.get(credit.rowId) ?? { duplicate: false, earlier: new Map() };
    rows.set(credit.rowId, row);
    if (credit.creditedKey === credit.rowKey) row.duplicate = true;
    // One import's credits to one member share a date unless a resumed apply wrote them later: the first one counts.
    if (!row.earlier.has(id)) row.earlier.set(id, { fileName: credit.fileName, importedAt: credit.importedAt });
    const job = jobs.get(id) ?? { fileName: credit.fileName, importedAt: credit.importedAt, memberIds: new Set() };
    jobs.set(id, job);
    if (credit.importedAt < job.importedAt) job.importedAt = credit.importedAt;
    job.memberIds.add(credit.memberId);
  }
  return {
    alreadyImported: [...rows.values()].filter((row) => row.duplicate).length,
    overlapping: rows.size,
    earlierImports: [...jobs.entries()]
      .map(([job, { fileName, importedAt, memberIds }]) => ({ job, fileName, importedAt, members: memberIds.size }))
      .sort((a, b) => a.importedAt.getTime() - b.importedAt.getTime()),
    rows: new Map(
      [...rows.entries()].map(([id, row]) => [id, { duplicate: row.duplicate, earlier: [...row.earlier.values()] }]),
    ),
  };
}

/** Matches rows to members, by customer id or by email, in chunks. */
async function resolveMembers(tx: Tx, shopId: string, decisions: ImportRowDecision[]) {
  const byId = new Map<string, string>();
  const byEmail = new Map<string, string>();
  const ids = [...new Set(decisions.filter((d) => !d.rejected && d.by === "customerId").map((d) => d.customer))];
  const emails = [...new Set(decisions.filter((d) => !d.rejected && d.by === "email").map((d) => d.customer))];
  for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
    const rows = await tx.member.findMany({
      where: { shopId, customerId: { in: ids.slice(i, i + LOOKUP_CHUNK) }, redactedAt: null },
      select: { id: true, customerId: true },
    });
    for (const row of rows) byId.set(row.customerId, row.id);
  }
  for (let i = 0; i < emails.length; i += LOOKUP_CHUNK) {
    const rows = await tx.$queryRaw<Array<{ id: string; email: string }>>`
      SELECT id, lower(email) AS email FROM "Member"
      WHERE "shopId" = ${shopId} AND "redactedAt" IS NULL AND lower(email) = ANY(${emails.slice(i, i + LOOKUP_CHUNK)}::text[])`;
    for (const row of rows) {
      // Two members sharing an email cannot be told apart: such rows must name the customer id.
      byEmail.set(row.email, byEmail.has(row.email) ? "" : row.id);
    }
  }
  return { byId, byEmail };
}

/**
 * The dry run: decodes (UTF-8 or Shift_JIS), parses and checks every row, matches customers, and records the
 * job with each row's outcome. Nothing touches a balance until the job is applied.
 */
export async function checkImport(
  prisma: PrismaClient,
  shop: Shop,
  fileName: string,
  bytes: Uint8Array,
  actor: string,
): Promise<ImportCheck> {
  if (bytes.byteLength > MAX_IMPORT_BYTES) {
    throw new ImportRefused(`the file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB; split it into parts`, 413);
  }
  if (bytes.byteLength === 0) throw new ImportRefused("the file is empty");
  const { text, encoding } = decodeCsvBytes(bytes);
  let rows: ReturnType<typeof parseCsv>;
  try {
    rows = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvError) throw new ImportRefused(`not a readable CSV file: ${error.message}`);
    throw error;
  }
  const [header, ...body] = rows;
  if (!header) throw new ImportRefused("the file is empty");
  const columns = importColumns(header.fields);
  if ("error" in columns) throw new ImportRefused(columns.error);
  if (body.length === 0) throw new ImportRefused("the file has a header but no rows");
  if (body.length > MAX_IMPORT_ROWS) {
    throw new ImportRefused(`the file has more than ${MAX_IMPORT_ROWS.toLocaleString("en")} rows; split it into parts`);
  }
  const fileHash = createHash("sha256").update(bytes).digest("hex");

  return prisma.$transaction(
    async (tx) => {
      const decisions = body.map((row) => decideImportRow(row.fields, columns));
      const { byId, byEmail } = await resolveMembers(tx, shop.id, decisions);
      const seen = new Map<string, number>();
      const outcomes = decisions.map((decision, index) => {
        const line = body[index].line;
        let rejected = decision.rejected;
        let memberId: string | null = null;
        if (!rejected) {
          memberId = (decision.by === "customerId" ? byId : byEmail).get(decision.customer) ?? null;
          if (memberId === "") {
            rejected = `more than one customer has the email ${decision.customer}: use the customer id`;
            memberId = null;
          } else if (!memberId) {
            rejected = `no customer ${decision.customer} in this shop's loyalty program`;
          } else if (seen.has(memberId)) {
            rejected = `the same customer is already on line ${seen.get(memberId)}`;
            memberId = null;
          } else {
            seen.set(memberId, line);
          }
        }
        const { points, note } = decision;
        // The ledger key of this row's credit, from its content: see importCreditKey.
        const creditKey = memberId && !rejected ? importCreditKey(memberId, points, note) : null;
        return { line, customer: decision.customer, memberId, points, note, rejected, creditKey };
      });
      const valid = outcomes.filter((row) => !row.rejected);
      const job = await tx.importJob.create({
        data: {
          shopId: shop.id,
          fileName: fileName.slice(0, 200) || "import.csv",
          fileHash,
          totalRows: outcomes.length,
          validRows: valid.length,
          rejectedRows: outcomes.length - valid.length,
          points: valid.reduce((sum, row) => sum + row.points, 0),
          createdBy: actor,
        },
      });
      for (let i = 0; i < outcomes.length; i += LOOKUP_CHUNK) {
        await tx.importRow.createMany({
          data: outcomes.slice(i, i + LOOKUP_CHUNK).map((row) => ({ jobId: job.id, ...row })),
        });
      }
      const { alreadyImported, overlapping, earlierImports } = await analyseImport(tx, job.id);
      return { job, encoding, ignoredColumns: columns.ignored, alreadyImported, overlapping, earlierImports };
    },
    { timeout: 300_000 },
  );
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
    }>
  >`
    SELECT r.id, r.line, r.customer, r.points, r.rejected, r.applied, m."pointsAvailable" AS available,
           r.applied AND r.rejected IS NULL AND NOT EXISTS (
             SELECT 1 FROM "LedgerEntry" e
             WHERE e."memberId" = r."memberId" AND e."sourceType" = 'import' AND e."sourceId" = r."jobId"
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
    WHERE r."jobId" = ${jobId} AND r.rejected IS NULL AND r.applied AND NOT EXISTS (
      SELECT 1 FROM "LedgerEntry" e
      WHERE e."memberId" = r."memberId" AND e."sourceType" = 'import' AND e."sourceId" = r."jobId"
    )`;
  return count;
}

/**
 * One import's report. Checked (the dry run): every member who already holds an imported balance, naming the
 * import it came from and when, and the rows whose very content was already credited. Applied: the rows that
 * added nothing. While it runs, only the rows (the page polls it).
 */
export async function importReport(tx: Tx, job: ImportJob) {
  const analysis = job.status === "checked" ? await analyseImport(tx, job.id) : null;
  const valid = await importPreview(tx, job.id, false);
  const rejected = await importPreview(tx, job.id, true);
  return {
    alreadyImported: analysis?.alreadyImported ?? (job.status === "applied" ? await skippedRows(tx, job.id) : 0),
    overlapping: analysis?.overlapping ?? 0,
    earlierImports: (analysis?.earlierImports ?? []).map((earlier) => ({
      ...earlier,
      importedAt: earlier.importedAt.toISOString(),
    })),
    valid: valid.map(({ id, line, customer, name, points, available, skipped }) => {
      const flags = analysis?.rows.get(id);
      return {
        line,
        customer,
        name,
        points,
        available,
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
 * picks up where it stopped.
 */
export async function applyImport(prisma: PrismaClient, jobId: string, actor: string, now = new Date()) {
  if (running.has(jobId)) return;
  running.add(jobId);
  try {
    const job = await prisma.importJob.findUniqueOrThrow({ where: { id: jobId }, include: { shop: true } });
    if (job.status === "applied") return;
    if (job.status === "checked") {
      await prisma.importJob.update({ where: { id: job.id }, data: { status: "applying" } });
      await prisma.auditLog.create({
        data: {
          shopId: job.shopId,
          actor,
          action: "import.started",
          subject: job.fileName,
          after: { rows: job.validRows, points: job.points, fileHash: job.fileHash },
        },
      });
    }
    for (;;) {
      const done = await prisma.$transaction(
        async (tx) => {
          const rows = await tx.importRow.findMany({
            where: { jobId: job.id, rejected: null, applied: false },
            orderBy: { id: "asc" },
            take: APPLY_BATCH,
          });
          if (rows.length === 0) return true;
          const { settings, version } = await currentProgram(tx, job.shop);
          // Rows checked before content keys existed get theirs now, from the same content.
          const keyOf = (row: (typeof rows)[number]) =>
            row.creditKey ?? importCreditKey(row.memberId!, row.points, row.note);
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
          const todo = rows.filter((row) => !skip.has(keyOf(row)));
          await creditMany(
            tx,
            todo.map((row) => ({
              member: members.get(row.memberId!)!,
              points: row.points,
              reason: row.note ? `Imported balance: ${row.note}` : `Imported balance (${job.fileName})`,
              idempotencyKey: keyOf(row),
            })),
            settings,
            job.shop.timezone,
            { sourceType: "import", sourceId: job.id, programVersionId: version.id, occurredAt: now },
          );
          await tx.importRow.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { applied: true } });
          await tx.importJob.update({ where: { id: job.id }, data: { appliedRows: { increment: rows.length } } });
          return false;
        },
        { timeout: 120_000 },
      );
      if (done) break;
    }
    await prisma.importJob.update({ where: { id: job.id }, data: { status: "applied", appliedAt: new Date() } });
    // What this import itself credited (found from its rows, so through the members' ledger index).
    const [credited] = await prisma.$queryRaw<Array<{ rows: number; points: number }>>`
      SELECT count(*)::int AS rows, coalesce(sum(e.points), 0)::int AS points
      FROM "ImportRow" r
      JOIN "LedgerEntry" e ON e."memberId" = r."memberId" AND e."sourceType" = 'import' AND e."sourceId" = r."jobId"
      WHERE r."jobId" = ${job.id} AND r.rejected IS NULL`;
    await prisma.auditLog.create({
      data: {
        shopId: job.shopId,
        actor,
        action: "import.applied",
        subject: job.fileName,
        // Rows whose content had already been credited count in `rows` but not in `credited`.
        after: {
          rows: job.validRows,
          points: job.points,
          credited,
        },
      },
    });
  } finally {
    running.delete(jobId);
  }
}

/** Imports left "applying" by a restart carry on. */
export async function resumeImports(prisma: PrismaClient): Promise<number> {
  const jobs = await prisma.importJob.findMany({
    where: { status: "applying" },
    select: { id: true, createdBy: true },
  });
  for (const job of jobs) await applyImport(prisma, job.id, job.createdBy);
  return jobs.length;
}
