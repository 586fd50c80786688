import { formatMoney } from "../core/money";
import { currentProgram, ensureShop } from "./shops.server";
import type { Tx } from "./transaction.server";

export interface ProgramOverview {
  members: number;
  outstanding: number;
  pending: number;
  debt: number;
  rateText: string;
}

/** The admin home's figures, summed from the cached balances that the ledger invariant keeps true. */
export async function programOverview(tx: Tx, shopDomain: string): Promise<ProgramOverview> {
  const shop = await ensureShop(tx, shopDomain);
  const program = await currentProgram(tx, shop);
  const totals = await tx.member.aggregate({
    where: { shopId: shop.id },
    _count: true,
    _sum: { pointsAvailable: true, pointsPending: true, pointsDebt: true },
  });
  const { points, perMinor } = program.settings.earnRate;
  return {
    members: totals._count,
    outstanding: totals._sum.pointsAvailable ?? 0,
    pending: totals._sum.pointsPending ?? 0,
    debt: totals._sum.pointsDebt ?? 0,
    rateText: `Shoppers earn ${points} point${points === 1 ? "" : "s"} for every ${formatMoney({ minor: perMinor, currency: program.settings.currency })} spent.`,
  };
}
