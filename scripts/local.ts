/**
 * `npm run local`: the app on this machine with no Shopify store and no database server. Applies the
 * migrations to the embedded PGlite database under ./data (or DATABASE_URL), installs the demo shop
 * tsumiki-demo.myshopify.com (JPY), and serves the app on 127.0.0.1:$PORT (default 3000).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { build } from "vite";
import { openDatabase } from "../app/db.server";
import { installLocalShop, LOCAL_SHOP, localDefaults, localMode } from "../app/local.server";

if (existsSync(".env")) process.loadEnvFile(".env");
const port = process.env.PORT ?? "3000";
process.env.PORT = port;
process.env.TSUMIKI_LOCAL = "1";
process.env.HOST = "127.0.0.1";
process.env.NODE_ENV = process.env.NODE_ENV === "production" ? "production" : "development";
for (const [name, value] of Object.entries(localDefaults(port))) process.env[name] ||= value;
localMode();

// The storefront preview embeds the built widget: build it from source so the preview is always current.
await build({ configFile: "widget/vite.config.ts", logLevel: "warn" });

const database = openDatabase();
const applied = await database.migrate();
await installLocalShop(database.prisma);
await database.close();
console.log(
  `Tsumiki local: ${applied.length ? `applied ${applied.join(", ")}` : "database up to date"}; demo shop ${LOCAL_SHOP}; ` +
    `${process.env.DATABASE_URL ? "DATABASE_URL" : "PGlite in ./data/pglite"}.`,
);
console.log(
  `Tsumiki local: http://127.0.0.1:${port} — admin /local/admin, storefront preview /local/storefront; ` +
    `try \`npm run simulate -- order --customer 1001 --total 54000\`.`,
);

const server = spawn("remix", ["vite:dev", "--host", "127.0.0.1", "--port", port, "--strictPort"], {
  stdio: "inherit",
  env: process.env,
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
