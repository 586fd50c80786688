/** `npm run setup`: applies prisma/migrations to DATABASE_URL (or the embedded PGlite database). */
import { existsSync } from "node:fs";

if (existsSync(".env")) process.loadEnvFile(".env");
const { database } = await import("../app/db.server");

const applied = await database.migrate();
console.log(applied.length ? `applied ${applied.join(", ")}` : "database up to date");
await database.close();
