import prisma from "../../app/db.server";
import { SHOP } from "./shopify";

export { customerPayload, orderPayload, paidWithPoints, refundPayload, uniqueId } from "./payloads";

/** Installs a shop as the OAuth callback would: an offline session and the shop row. */
export async function installShop(domain = SHOP, currency = "JPY", timezone = "Asia/Tokyo") {
  await prisma.session.upsert({
    where: { id: `offline_${domain}` },
    update: {},
    create: {
      id: `offline_${domain}`,
      shop: domain,
      state: "installed",
      isOnline: false,
      accessToken: "shpat_test",
      scope: process.env.SCOPES,
    },
  });
  // A reinstall clears the uninstall mark, as recordInstall does.
  return prisma.shop.upsert({
    where: { domain },
    update: { uninstalledAt: null },
    create: { domain, currency, timezone },
  });
}

/** A member's state, read straight from the database. */
export async function memberState(customerId: number | string, domain = SHOP) {
  return prisma.member.findFirst({ where: { shop: { domain }, customerId: String(customerId) } });
}
