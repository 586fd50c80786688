import prisma from "../db.server";
import { createPointsDiscount, findPointsDiscount } from "../shopify/admin-api.server";
import { shopWithProgram } from "../shops/shops.server";

/**
 * Makes sure the shop has the automatic app discount that runs the points Function, creating it once.
 * Safe to call on every install and re-install: a discount the app already made is found and kept.
 */
export async function activatePointsDiscount(shopDomain: string, now = new Date()): Promise<string> {
  const { shop, settings } = await prisma.$transaction((tx) => shopWithProgram(tx, shopDomain));
  if (shop.pointsDiscountId) return shop.pointsDiscountId;
  const discountId =
    (await findPointsDiscount(shopDomain)) ??
    (await createPointsDiscount(shopDomain, settings.redemption.maxShareBasisPoints, now));
  await prisma.shop.update({ where: { id: shop.id }, data: { pointsDiscountId: discountId } });
  return discountId;
}
