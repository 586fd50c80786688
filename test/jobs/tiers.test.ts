import { beforeAll, describe, expect, it } from "vitest";
import { defaultProgram } from "../../app/program/program";
import prisma from "../../app/db.server";
import { evaluateTiers } from "../../app/program/tiers.server";
import { installShop, memberState, orderPayload } from "../support/fixtures";
import { expectBalancesMatchLedger } from "../support/invariants";
import { deliver } from "../support/routes";

const SHOP = "tiers-test.myshopify.com";
const tiers = {
  levels: [
    { id: "silver", name: "Silver", threshold: 30_000, earnExtraPercent: 10, reachBonus: 100 },
    { id: "gold", name: "Gold", threshold: 100_000, earnExtraPercent: 25, reachBonus: 500 },
  ],
  basis: "spend" as const,
  period: "rolling12" as const,
  downgrade: "periodEnd" as const,
  graceDays: 30,
};

describe("tier evaluation", () => {
  beforeAll(async () => {
    const shop = await installShop(SHOP);
    await prisma.programVersion.create({
      data: { shopId: shop.id, version: 2, settings: { ...defaultProgram("JPY"), tiers } as never },
    });
  });

  it("¥120,000 spent reaches Gold once: the change is recorded with its reason and the bonus paid once", async () => {
    await deliver("orders/paid", orderPayload({ customerId: 16001, total: "120000" }), { shop: SHOP });
    expect(await evaluateTiers(prisma)).toBeGreaterThanOrEqual(1);
    expect(await evaluateTiers(prisma)).toBe(0);
    const member = await memberState(16001, SHOP);
    expect(member).toMatchObject({ tierId: "gold", pointsAvailable: 1200 + 500 });
    const changes = await prisma.tierChange.findMany({ where: { memberId: member!.id } });
    expect(changes).toEqual([
      expect.objectContaining({ fromTier: null, toTier: "gold", reason: "reached Gold (spend 120000)", value: 120000 }),
    ]);
    await expectBalancesMatchLedger();
  });

  it("a Gold member earns 25% more on the next order", async () => {
    await deliver("orders/paid", orderPayload({ customerId: 16001, total: "10000" }), { shop: SHOP });
    expect((await memberState(16001, SHOP))?.pointsAvailable).toBe(1700 + 125);
  });

  it("a cancelled order no longer counts, but a period-end policy keeps the tier until the year turns", async () => {
    const order = orderPayload({ customerId: 16002, total: "40000" });
    await deliver("orders/paid", order, { shop: SHOP });
    await evaluateTiers(prisma);
    expect((await memberState(16002, SHOP))?.tierId).toBe("silver");
    await deliver("orders/cancelled", order, { shop: SHOP });
    await evaluateTiers(prisma);
    expect((await memberState(16002, SHOP))?.tierId).toBe("silver");
    const nextYear = new Date(new Date().getFullYear() + 1, 0, 15);
    await evaluateTiers(prisma, nextYear);
    expect((await memberState(16002, SHOP))?.tierId).toBeNull();
    const history = await prisma.tierChange.findMany({
      where: { member: { customerId: "16002" } },
      orderBy: { id: "asc" },
    });
    expect(history.map((h) => [h.fromTier, h.toTier])).toEqual([
      [null, "silver"],
      ["silver", null],
    ]);
  });
});
