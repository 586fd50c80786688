import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Driver } from "./adapter.server";

// Every entry point (app server, scripts, tests) runs from the project root.
export const MIGRATIONS_DIR = join(process.cwd(), "prisma/migrations");

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * Applies prisma/migrations in order and records them in Prisma's own `_prisma_migrations` table, so
 * `prisma migrate status` agrees. Runs under an advisory lock: two processes starting at once apply
 * each migration once.
 */
export async function applyMigrations(
  driver: Driver,
  query: (sql: string) => Promise<Array<{ migration_name: string }>>,
): Promise<string[]> {
  await driver.exec(`
    CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    );`);
  const names = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const applied: string[] = [];
  for (const name of names) {
    const sql = readFileSync(join(MIGRATIONS_DIR, name, "migration.sql"), "utf8");
    const checksum = createHash("sha256").update(sql).digest("hex");
    const done = await query(
      `SELECT migration_name FROM "_prisma_migrations" WHERE migration_name = ${sqlString(name)} AND finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    if (done.length > 0) continue;
    // Check-and-apply is one script in one transaction under a lock, so a concurrent runner cannot apply it twice.
    let skipped = false;
    await driver
      .exec(
        `
      BEGIN;
      SELECT pg_advisory_xact_lock(72707369);
      DO $tsumiki$ BEGIN
        IF EXISTS (SELECT 1 FROM "_prisma_migrations" WHERE migration_name = ${sqlString(name)} AND finished_at IS NOT NULL AND rolled_back_at IS NULL) THEN
          RAISE EXCEPTION 'tsumiki-migration-already-applied';
        END IF;
      END $tsumiki$;
      ${sql}
      ;
      INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
        VALUES (${sqlString(randomUUID())}, ${sqlString(checksum)}, now(), ${sqlString(name)}, 1);
      COMMIT;`,
      )
      .catch(async (error: unknown) => {
        await driver.exec("ROLLBACK;").catch(() => undefined);
        if (error instanceof Error && error.message.includes("tsumiki-migration-already-applied")) {
          skipped = true;
          return;
        }
        throw error;
      });
    if (!skipped) applied.push(name);
  }
  return applied;
}
