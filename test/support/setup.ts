import { afterAll } from "vitest";
import { provisionTestDatabase } from "./database";

const provisioned = await provisionTestDatabase();
process.env.TEST_DATABASE_KIND = provisioned.url.startsWith("memory://") ? "pglite" : "postgres";
process.env.DATABASE_URL = provisioned.url;

const { database } = await import("../../app/db.server");
await database.migrate();

afterAll(async () => {
  await database.close();
  globalThis.tsumikiDatabase = undefined;
  await provisioned.drop();
});
