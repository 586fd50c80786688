import type { Env } from "./config.server";
import type { PrismaClient } from "./generated/prisma/client";
import { currentProgram, ensureShop } from "./services/shops.server";

/** The shop `npm run local` installs, so the app works with no Shopify store at hand. */
export const LOCAL_SHOP = "tsumiki-demo.myshopify.com";
const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

export function localDefaults(port: string): Record<string, string> {
  return {
    SHOPIFY_API_KEY: "tsumiki-local-key",
    SHOPIFY_API_SECRET: "tsumiki-local-secret",
    SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
    SCOPES: "read_customers,write_customers,read_orders,read_products,write_discounts",
  };
}

/**
 * Local mode exists only when explicitly asked for (TSUMIKI_LOCAL=1), never in production, and only
 * bound to loopback. Called when the server starts, so a misconfigured deploy refuses to run.
 */
export function localMode(env: Env = process.env): boolean {
  if (env.TSUMIKI_LOCAL !== "1") return false;
  if (env.NODE_ENV === "production") {
    throw new Error("Tsumiki refuses to start: TSUMIKI_LOCAL=1 (local mode) is not allowed with NODE_ENV=production.");
  }
  if (env.HOST && !LOOPBACK.has(env.HOST)) {
    throw new Error(`Tsumiki refuses to start: local mode must bind to loopback, not HOST=${env.HOST}.`);
  }
  return true;
}

/** A request from this machine to a local-mode server; anything else never sees local-only pages. */
export function isLocalRequest(request: Request, env: Env = process.env): boolean {
  return localMode(env) && LOOPBACK.has(new URL(request.url).hostname);
}

/** Installs the demo shop as OAuth would: an offline session, the shop (JPY, Tokyo) and its program. */
export async function installLocalShop(prisma: PrismaClient): Promise<void> {
  await prisma.session.upsert({
    where: { id: `offline_${LOCAL_SHOP}` },
    update: {},
    create: {
      id: `offline_${LOCAL_SHOP}`,
      shop: LOCAL_SHOP,
      state: "local",
      isOnline: false,
      accessToken: "local-offline-token",
      scope: localDefaults("0").SCOPES,
    },
  });
  await prisma.$transaction(async (tx) => {
    const shop = await ensureShop(tx, LOCAL_SHOP, "JPY", "Asia/Tokyo");
    await currentProgram(tx, shop);
  });
}
