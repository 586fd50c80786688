import { createAdapter, type Driver } from "./db/adapter.server";
import { applyMigrations } from "./db/migrate.server";
import { PrismaClient } from "./generated/prisma/client";

export interface Database {
  prisma: PrismaClient;
  driver: Driver;
  migrate(): Promise<string[]>;
  close(): Promise<void>;
}

export function openDatabase(url: string | undefined = process.env.DATABASE_URL): Database {
  const { factory, driver } = createAdapter(url);
  const prisma = new PrismaClient({ adapter: factory });
  return {
    prisma,
    driver,
    migrate: () => applyMigrations(driver, (sql) => prisma.$queryRawUnsafe<Array<{ migration_name: string }>>(sql)),
    close: async () => {
      await prisma.$disconnect();
      await driver.close();
    },
  };
}

declare global {
  var tsumikiDatabase: Database | undefined;
}

// One client per process; Vite's dev server re-evaluates modules, so keep it on globalThis.
export const database: Database = globalThis.tsumikiDatabase ?? openDatabase();
globalThis.tsumikiDatabase = database;

const prisma = database.prisma;
export default prisma;
