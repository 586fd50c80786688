import { createHash } from "node:crypto";
import { decideImportRow, importColumns, type ImportRowDecision } from "../core/balance-import";
import { CsvError, decodeCsvBytes, parseCsv } from "../core/csv";
import type { ImportJob, PrismaClient, Shop } from "../generated/prisma/client";
import { creditMany } from "./ledger.server";
import { lockMembers } from "./members.server";
import { currentProgram } from "./shops.server";
import type { Tx } from "./transaction.server";

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

export interface ImportCheck {
  job: ImportJob;
  encoding: "utf-8" | "shift_jis";
  ignoredColumns: string[];
  /** Rows applied by an earlier import of this very file: re-importing it changes nothing. */
  alreadyImported: number;
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
        return { line, customer: decision.customer, memberId, points: decision.points, note: decision.note, rejected };
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
      const alreadyImported = await tx.ledgerEntry.count({
        where: { shopId: shop.id, idempotencyKey: { startsWith: `import:${fileHash}:` } },
      });
      return { job, encoding, ignoredColumns: columns.ignored, alreadyImported };
    },
    { timeout: 300_000 },
  );
}

/** Rows of a checked import, for the dry-run report: current and resulting balances, or the reason rejected. */
export async function importPreview(tx: Tx, jobId: string, rejectedOnly: boolean, take = 100) {
  const rows = await tx.$queryRaw<
    Array<{
      line: number;
      customer: string;
      points: number;
      rejected: string | null;
      applied: boolean;
      available: number | null;
      name: string | null;
    }>
  >`
    SELECT r.line, r.customer, r.points, r.rejected, r.applied, m."pointsAvailable" AS available,
           nullif(trim(coalesce(m."lastName", '') || ' ' || coalesce(m."firstName", '')), '') AS name
    FROM "ImportRow" r LEFT JOIN "Member" m ON m.id = r."memberId"
    WHERE r."jobId" = ${jobId} AND (r.rejected IS NOT NULL) = ${rejectedOnly}
    ORDER BY r.line LIMIT ${take}`;
  return rows;
}

const running = new Set<string>();

/**
 * Applies a checked import in batches of rows, each batch in its own transaction. Each row's points are keyed
 * by file and member, so a crash, a second click or the same file imported again adds nothing twice; progress
 * lives in the job row, so a reload (or a restart, see resumeImports) picks up where it stopped.
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
          const keyOf = (memberId: string | null) => `import:${job.fileHash}:${memberId}`;
          // Keyed by file and member: rows an earlier run (or the same file before) applied are skipped.
          const done = await tx.ledgerEntry.findMany({
            where: { shopId: job.shopId, idempotencyKey: { in: rows.map((row) => keyOf(row.memberId)) } },
            select: { idempotencyKey: true },
          });
          const skip = new Set(done.map((entry) => entry.idempotencyKey));
          const todo = rows.filter((row) => !skip.has(keyOf(row.memberId)));
          const members = await lockMembers(
            tx,
            todo.map((row) => row.memberId!),
          );
          await creditMany(
            tx,
            todo.map((row) => ({
              member: members.get(row.memberId!)!,
              points: row.points,
              reason: row.note ? `Imported balance: ${row.note}` : `Imported balance (${job.fileName})`,
              idempotencyKey: keyOf(row.memberId),
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
    await prisma.auditLog.create({
      data: {
        shopId: job.shopId,
        actor,
        action: "import.applied",
        subject: job.fileName,
        after: { rows: job.validRows, points: job.points },
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
