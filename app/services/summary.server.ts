import type { ProgramSettings } from "../core/program";
import type { Tx } from "./transaction.server";
import { currentProgram, findShop } from "./shops.server";

export interface MemberSummary {
  loggedIn: boolean;
  balance: number;
  pending: number;
  debt: number;
  currency: string;
  earnRate: ProgramSettings["earnRate"];
}

/** What the storefront shows one shopper; null when the shop is not known to the app. */
export async function memberSummary(
  tx: Tx,
  shopDomain: string,
  customerId: string | null,
): Promise<MemberSummary | null> {
  const shop = await findShop(tx, shopDomain);
  if (!shop) return null;
  const program = await currentProgram(tx, shop);
  const member = customerId
    ? await tx.member.findUnique({ where: { shopId_customerId: { shopId: shop.id, customerId } } })
    : null;
  return {
    loggedIn: customerId !== null,
    balance: member?.pointsAvailable ?? 0,
    pending: member?.pointsPending ?? 0,
    debt: member?.pointsDebt ?? 0,
    currency: program.settings.currency,
    earnRate: program.settings.earnRate,
  };
}
