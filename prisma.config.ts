import { defineConfig } from "prisma/config";
import { createAdapterFactory } from "./app/db/adapter.server";

// The CLI (generate, migrate) talks to the same database the app uses: PGlite under ./data by default,
// the PostgreSQL server named by DATABASE_URL otherwise. Prisma's JavaScript schema engine keeps it offline.
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  adapter: async () => createAdapterFactory(process.env.DATABASE_URL),
});
