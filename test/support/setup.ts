import { afterAll } from "vitest";
import { installAdminApiInterceptor } from "./admin-api";
import { provisionTestDatabase } from "./database";

// Before any Shopify module captures fetch: Admin API calls are answered by the tests, checked against Shopify's schema.
installAdminApiInterceptor();

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
