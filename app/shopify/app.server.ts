// First: in local mode the Admin API stand-in must replace fetch before Shopify's adapter captures it.
import "../local/local-admin-api.server";
import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { readConfig } from "../config.server";
import prisma from "../db.server";
import { localMode } from "../local/local.server";

const config = readConfig();
// Refuses to start when local mode is asked for in production or off loopback.
localMode();

export const API_VERSION = ApiVersion.July26;

type InstallHandler = (shopDomain: string) => Promise<void>;
let onInstall: InstallHandler | null = null;

/**
 * What to do after Shopify authorises the app. The composition root (app/shopify.server.ts) sets it, so this
 * module, which the Admin API adapter imports, never imports the install code that calls that adapter.
 */
export function whenInstalled(handler: InstallHandler): void {
  onInstall = handler;
}

/** The Shopify app object: authentication for every surface, and Admin API clients for a shop's offline session. */
export const shopify = shopifyApp({
  apiKey: config.apiKey,
  apiSecretKey: config.apiSecret,
  apiVersion: API_VERSION,
  scopes: config.scopes,
  appUrl: config.appUrl,
  authPathPrefix: "/auth",
  // The session storage is typed against @prisma/client; our generated client has the same Session model.
  sessionStorage: new PrismaSessionStorage(prisma as never),
  distribution: AppDistribution.AppStore,
  future: { unstable_newEmbeddedAuthStrategy: true, expiringOfflineAccessTokens: true },
  hooks: {
    afterAuth: async ({ session }) => {
      if (!onInstall) throw new Error("no install handler: app/shopify.server.ts was not loaded");
      await onInstall(session.shop);
    },
  },
  ...(process.env.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [process.env.SHOP_CUSTOM_DOMAIN] } : {}),
});
