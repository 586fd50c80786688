import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { provisionTestDatabase } from "./database";
import { adminDocumentUrl, BROWSER_USER_AGENT } from "./shopify";

export interface ProductionServer {
  baseUrl: string;
  secret: string;
  apiKey: string;
  output: () => string;
  /** Every Admin API call the server made, with the stand-in's answer. */
  adminCalls: () => Array<{ operation: string; query: string; variables: Record<string, unknown>; data: unknown }>;
  stop: () => Promise<void>;
}

/**
 * Starts `npm start` exactly as an operator would (the build from `npm run build`, NODE_ENV=production, the
 * required variables, HOST=127.0.0.1), on its own port and database, with `shop` installed. Only Shopify's Admin
 * API is answered in-process (test/production/admin-api-stand-in.mjs, preloaded).
 */
export async function startProductionServer(
  shop: string,
  extraEnv: Record<string, string> = {},
): Promise<ProductionServer> {
  if (!existsSync("build/server/index.js")) {
    throw new Error("no production build: run `npm run build` first (npm test does)");
  }
  const port = String(43000 + Math.floor(Math.random() * 2000));
  const secret = "production-test-secret";
  const apiKey = "production-test-key";
  const work = mkdtempSync(join(tmpdir(), "tsumiki-production-"));
  const provisioned = await provisionTestDatabase();
  const databaseUrl = provisioned.url.startsWith("memory://") ? `pglite:${join(work, "pglite")}` : provisioned.url;
  const adminLog = join(work, "admin-api.jsonl");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "production",
    SHOPIFY_API_KEY: apiKey,
    SHOPIFY_API_SECRET: secret,
    SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
    SCOPES: "read_customers,write_customers,read_orders,read_products,write_discounts",
    HOST: "127.0.0.1",
    PORT: port,
    DATABASE_URL: databaseUrl,
  };
  const seed = spawnSync("npx", ["tsx", "test/production/seed.ts", shop], { env, encoding: "utf8" });
  if (seed.status !== 0) throw new Error(`seeding failed:\n${seed.stdout}\n${seed.stderr}`);

  let output = "";
  const server = spawn("npm", ["start"], {
    env: {
      ...env,
      NODE_OPTIONS: `--import=${resolve("test/production/admin-api-stand-in.mjs")}`,
      TSUMIKI_ADMIN_API_LOG: adminLog,
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  server.stdout!.on("data", (chunk) => (output += chunk));
  server.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((done) => server.on("exit", () => done()));
  const stop = async () => {
    if (server.pid && server.exitCode === null) {
      process.kill(-server.pid, "SIGTERM");
      await Promise.race([exited, new Promise((done) => setTimeout(done, 10_000))]);
    }
    await provisioned.drop();
    rmSync(work, { recursive: true, force: true });
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && server.exitCode === null) {
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) {
        return {
          baseUrl,
          secret,
          apiKey,
          output: () => output,
          adminCalls: () =>
            existsSync(adminLog)
              ? readFileSync(adminLog, "utf8")
                  .split("\n")
                  .filter(Boolean)
                  .map((line) => JSON.parse(line))
              : [],
          stop,
        };
      }
    } catch {
      await new Promise((done) => setTimeout(done, 500));
    }
  }
  await stop();
  throw new Error(`npm start did not become healthy:\n${output}`);
}

/**
 * A request from the embedded admin to the production server, as App Bridge sends it: the staff member's session
 * token as the bearer, JSON in and out, from a browser.
 */
export function embeddedAdmin(server: ProductionServer, shop: string) {
  const token = new URL(
    adminDocumentUrl("/app", { shop, secret: server.secret, apiKey: server.apiKey, baseUrl: server.baseUrl }),
  ).searchParams.get("id_token")!;
  return (path: string, init: RequestInit = {}) =>
    fetch(`${server.baseUrl}${path}`, {
      ...init,
      headers: {
        Authorization: `Bearer ${token}`,
        "Content-Type": "application/json",
        "User-Agent": BROWSER_USER_AGENT,
        ...init.headers,
      },
    });
}
