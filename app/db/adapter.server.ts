import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { mkdirSync } from "node:fs";
import pg from "pg";

export const DEFAULT_PGLITE_DIR = "./data/pglite";

export type DatabaseTarget = { kind: "pglite"; dataDir: string } | { kind: "postgres"; url: string };

/**
 * Unset DATABASE_URL means the embedded PGlite database under ./data; `pglite:<dir>` (or `memory://`)
 * picks another PGlite location; postgres:// or postgresql:// means a PostgreSQL server.
 */
export function databaseTarget(url: string | undefined): DatabaseTarget {
  if (!url) return { kind: "pglite", dataDir: DEFAULT_PGLITE_DIR };
  if (url.startsWith("memory://")) return { kind: "pglite", dataDir: url };
  if (url.startsWith("pglite:")) return { kind: "pglite", dataDir: url.slice("pglite:".length) };
  if (/^postgres(ql)?:\/\//.test(url)) return { kind: "postgres", url };
  throw new Error(
    `DATABASE_URL must be unset (embedded PGlite), pglite:<dir>, memory:// or postgres://…; got "${url.split(":")[0]}:…"`,
  );
}

/** The raw driver behind Prisma, for running migration scripts (multi-statement SQL). */
export interface Driver {
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

export interface AdapterBundle {
  factory: SqlMigrationAwareDriverAdapterFactory;
  driver: Driver;
}

/**
 * Prisma (6.19) ends an interactive transaction by sending COMMIT or ROLLBACK and only then hands the connection back
 * to the pool. When that statement fails because the connection is gone (the server restarted or terminated it in the
 * middle of the transaction), the connection is never handed back: after DATABASE_POOL_SIZE such losses every query
 * waits for a free connection forever, even once the database is back. This hands it back (pg drops a dead one).
 */
class ReleasingPrismaPg extends PrismaPg {
  override async connect() {
    const adapter = await super.connect();
    const start = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => {
      const transaction = await start(isolationLevel);
      const executeRaw = transaction.executeRaw.bind(transaction);
      transaction.executeRaw = async (query) => {
        try {
          return await executeRaw(query);
        } catch (error) {
          if (query.sql === "COMMIT" || query.sql === "ROLLBACK") await transaction.rollback().catch(() => undefined);
          throw error;
        }
      };
      return transaction;
    };
    return adapter;
  }
}

export function createAdapter(url: string | undefined): AdapterBundle {
  const target = databaseTarget(url);
  if (target.kind === "pglite") {
    if (!target.dataDir.startsWith("memory://")) mkdirSync(target.dataDir, { recursive: true });
    // pg_trgm: customer search matches parts of names and emails through a trigram index.
    const client = new PGlite(target.dataDir, { extensions: { pg_trgm } });
    return {
      // The adapter is typed against an older driver-adapter-utils; the runtime contract is the same.
      factory: new PrismaPGlite(client) as unknown as SqlMigrationAwareDriverAdapterFactory,
      driver: {
        exec: async (sql) => {
          await client.exec(sql);
        },
        close: () => client.close(),
      },
    };
  }
  return {
    factory: new ReleasingPrismaPg({ connectionString: target.url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) }),
    driver: {
      exec: async (sql) => {
        const client = new pg.Client({ connectionString: target.url });
        await client.connect();
        try {
          await client.query(sql);
        } finally {
          await client.end();
        }
      },
      close: async () => {},
    },
  };
}

export function createAdapterFactory(url: string | undefined) {
  return createAdapter(url).factory;
}
