import prisma from "../db.server";
import { fetchShopSettings } from "../shopify/admin-api.server";
import { startCatalogueSync } from "../earning/catalogue.server";
import { activatePointsDiscount } from "../redemption/points-discount.server";
import { startCustomerSync } from "../sync/customers.server";
import { ensureShop } from "./shops.server";
import { ensureMemberMetafieldDefinitions } from "../notifications/metafields.server";

/**
 * After Shopify authorises the app: record the shop with its currency and time zone (a re-install
 * clears the uninstall mark, keeps the program and starts the watch for missed orders again), then make sure the
 * points discount runs.
 */
export async function recordInstall(shopDomain: string): Promise<void> {
  const settings = await fetchShopSettings(shopDomain);
  await prisma.$transaction(async (tx) => {
    const shop = await ensureShop(tx, shopDomain, settings.currencyCode, settings.ianaTimezone);
    // A re-install starts the app's watch again: orders paid while it was uninstalled earned nothing (their webhooks
    // were refused), so reconciliation must not award them now; the order history can read them instead.
    const reinstalled = shop.uninstalledAt ? { installedAt: new Date(), reconciledThrough: new Date() } : {};
    await tx.shop.update({
      where: { id: shop.id },
      data: { uninstalledAt: null, timezone: settings.ianaTimezone, ...reinstalled },
    });
  });
  await activatePointsDiscount(shopDomain);
  // Every customer becomes a member and the catalogue fills, through bulk queries Shopify runs in the background
  // (their results are applied when bulk_operations/finish arrives); webhooks keep both current meanwhile. A sync
  // that cannot start must not fail the install: the merchant can start it again from the sync page.
  for (const start of [startCustomerSync, startCatalogueSync]) {
    await start(prisma, shopDomain, "install").catch((error: unknown) =>
      console.error(`starting a sync for ${shopDomain} failed`, error),
    );
  }
  // The customer metafields the app keeps current (balance, tier, next expiry) get typed definitions, so themes,
  // Flow and email tools see them by name. Optional: the values are written either way.
  await ensureMemberMetafieldDefinitions(shopDomain).catch((error: unknown) =>
    console.error(`creating metafield definitions for ${shopDomain} failed`, error),
  );
}
