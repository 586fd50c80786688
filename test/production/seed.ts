/**
 * Installs a shop in the database `npm start` will use, as the OAuth callback would (an offline session, the shop
 * and its first program version): Shopify's OAuth cannot run here. Run with DATABASE_URL set.
 */
import { database } from "../../app/db.server";
import { currentProgram, ensureShop } from "../../app/shops/shops.server";

const shop = process.argv[2];
await database.migrate();
await database.prisma.session.create({
  data: {
    id: `offline_${shop}`,
    shop,
    state: "installed",
    isOnline: false,
    accessToken: "shpat_production_test",
    scope: process.env.SCOPES,
  },
});
await database.prisma.$transaction(async (tx) => currentProgram(tx, await ensureShop(tx, shop, "JPY", "Asia/Tokyo")));
await database.close();
console.log(`installed ${shop}`);
