/**
 * `npm run local`: the app on this machine with no Shopify store and no database server. Applies the
 * migrations to the embedded PGlite database under ./data (or DATABASE_URL), installs the demo shop
 * tsumiki-demo.myshopify.com (JPY), and serves the app on 127.0.0.1:$PORT (default 3000).
 */
import { existsSync } from "node:fs";
import { build } from "vite";
import { database } from "../app/db.server";
import { installLocalShop, LOCAL_SHOP, localDefaults, localMode } from "../app/local/local.server";

if (existsSync(".env")) process.loadEnvFile(".env");
const port = process.env.PORT ?? "3000";
process.env.PORT = port;
process.env.TSUMIKI_LOCAL = "1";
process.env.HOST ||= "127.0.0.1";
process.env.NODE_ENV = process.env.NODE_ENV === "production" ? "production" : "development";
for (const [name, value] of Object.entries(localDefaults(port))) process.env[name] ||= value;
localMode();

// The storefront preview embeds the built widget: build it from source so the preview is always current.
await build({ configFile: "widget/vite.config.ts", logLevel: "warn" });

// The process's one database client, which the server below shares (PGlite allows one client per directory).
const applied = await database.migrate();
await installLocalShop(database.prisma);
console.log(
  `Tsumiki local: ${applied.length ? `applied ${applied.join(", ")}` : "database up to date"}; demo shop ${LOCAL_SHOP}; ` +
    `${process.env.DATABASE_URL ? "DATABASE_URL" : "PGlite in ./data/pglite"}.`,
);
console.log(
  `Tsumiki local: http://127.0.0.1:${port} — admin /local/admin, storefront preview /local/storefront; ` +
    `try \`npm run simulate -- order --customer 1001 --total 54000\`.`,
);

// The same HTTP server as `npm start`, here with the Vite dev server in middleware mode, bound to 127.0.0.1.
const { startServer } = await import("../server/http");
await startServer({ dev: true, port: Number(port), host: process.env.HOST });
