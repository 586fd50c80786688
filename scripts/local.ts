/**
 * `npm run local`: the app on this machine with no Shopify store and no database server. Applies the
 * migrations to the embedded PGlite database under ./data (or DATABASE_URL), installs the demo shop
 * tsumiki-demo.myshopify.com (JPY), starts a local SMTP server that every email goes to (shown at
 * /local/mailbox), and serves the app on 127.0.0.1:$PORT (default 3000).
 */
import { existsSync } from "node:fs";
import { build } from "vite";
import { database } from "../app/db.server";
import { installLocalShop, LOCAL_SHOP, localDefaults, localMode } from "../app/local/local.server";
import { startLocalSmtp } from "../app/local/local-mailbox.server";

if (existsSync(".env")) process.loadEnvFile(".env");
const port = process.env.PORT ?? "3000";
process.env.PORT = port;
process.env.TSUMIKI_LOCAL = "1";
process.env.HOST ||= "127.0.0.1";
process.env.NODE_ENV = process.env.NODE_ENV === "production" ? "production" : "development";
for (const [name, value] of Object.entries(localDefaults(port))) process.env[name] ||= value;
localMode();

// Email goes to an SMTP server in this process, never out of the machine: set before any app module reads SMTP_URL
// (a real SMTP_URL in .env is replaced). Its port is LOCAL_SMTP_PORT (default 2525), or any free one if taken.
const smtpPort = Number(process.env.LOCAL_SMTP_PORT ?? 2525);
const smtp = await startLocalSmtp({ port: smtpPort, host: "127.0.0.1" }).catch((error: NodeJS.ErrnoException) => {
  if (error.code !== "EADDRINUSE") throw error;
  return startLocalSmtp({ port: 0, host: "127.0.0.1" });
});
process.env.SMTP_URL = `smtp://127.0.0.1:${smtp.port}?tls=off`;
process.env.MAIL_FROM ||= "points@tsumiki.local";

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
  `Tsumiki local: http://127.0.0.1:${port} — admin /local/admin, storefront preview /local/storefront, ` +
    `mailbox /local/mailbox (SMTP on 127.0.0.1:${smtp.port}); ` +
    `try \`npm run simulate -- order --customer 1001 --total 54000\`.`,
);

// The same HTTP server as `npm start`, here with the Vite dev server in middleware mode, bound to 127.0.0.1.
const { startServer } = await import("../server/http");
await startServer({ dev: true, port: Number(port), host: process.env.HOST });

// The scheduled jobs (reminders planned, due email delivered, every minute) start when the server build is first
// loaded (app/entry.server.tsx): load it now, so they run from the start and not from the first page someone opens.
for (let tries = 0; tries < 60; tries++) {
  const ready = await fetch(`http://127.0.0.1:${port}/healthz`).then(
    (response) => response.ok,
    () => false,
  );
  if (ready) break;
  await new Promise((resolve) => setTimeout(resolve, 500));
}
