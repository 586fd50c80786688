/** `npm run setup`: applies prisma/migrations to DATABASE_URL (or the embedded PGlite database). */
import { database } from "../app/db.server";

const applied = await database.migrate();
console.log(applied.length ? `applied ${applied.join(", ")}` : "database up to date");
await database.close();
