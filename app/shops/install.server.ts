import prisma from "../db.server";
import { fetchShopSettings } from "../shopify/admin-api.server";
import { syncCatalogue } from "../earning/catalogue.server";
import { activatePointsDiscount } from "../redemption/points-discount.server";
import { ensureShop } from "./shops.server";

/**
 * After Shopify authorises the app: record the shop with its currency and time zone (a re-install
 * clears the uninstall mark and keeps the program), then make sure the points discount runs.
 */
export async function recordInstall(shopDomain: string): Promise<void> {
  const settings = await fetchShopSettings(shopDomain);
  await prisma.$transaction(async (tx) => {
    const shop = await ensureShop(tx, shopDomain, settings.currencyCode, settings.ianaTimezone);
    await tx.shop.update({ where: { id: shop.id }, data: { uninstalledAt: null, timezone: settings.ianaTimezone } });
  });
  await activatePointsDiscount(shopDomain);
  // The catalogue can be large: fill it in the background; webhooks keep it current meanwhile.
  syncCatalogue(shopDomain).catch((error: unknown) => console.error(`catalogue sync for ${shopDomain} failed`, error));
}
