import { beforeAll, describe, expect, it } from "vitest";
import { localDate } from "../../app/shared/calendar";
import { defaultProgram } from "../../app/program/program";
import prisma from "../../app/db.server";
import * as bonusesRoute from "../../app/routes/app.bonuses";
import * as birthdayRoute from "../../app/routes/proxy.birthday";
import { awardBirthdays, birthdaysOn } from "../../app/program/bonuses.server";
import { installShop, memberState } from "../support/fixtures";
import { deliver } from "../support/routes";
import { adminRequest, proxyRequest, type ProxyOptions } from "../support/shopify";

const SHOP = "bonus-test.myshopify.com";

async function run(handler: (args: never) => Promise<Response>, request: Request): Promise<Response> {
  try {
    return await handler({ request, params: {}, context: {} } as never);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

function postBirthday(body: unknown, options: ProxyOptions) {
  const signed = proxyRequest("birthday", { shop: SHOP, ...options });
  return run(birthdayRoute.action, new Request(signed.url, { method: "POST", body: JSON.stringify(body) }));
}

describe("birthday and action bonuses", () => {
  beforeAll(async () => {
    const shop = await installShop(SHOP);
    const actions = [
      { id: "review", name: "Wrote a review", points: 50, repeatable: false },
      { id: "event", name: "Came to a tasting", points: 30, repeatable: true },
    ];
    await prisma.programVersion.create({
      data: {
        shopId: shop.id,
        version: 2,
        settings: { ...defaultProgram("JPY"), birthdayBonus: 300, actions } as never,
      },
    });
  });

  it("a logged-in shopper saves a birthday through the app proxy; bad input and anonymous visitors are refused", async () => {
    expect((await postBirthday({ birthday: "02-29" }, { customerId: "18001" })).status).toBe(200);
    expect((await memberState(18001, SHOP))?.birthday).toBe("02-29");
    const bad = await postBirthday({ birthday: "13-40" }, { customerId: "18002" });
    expect(bad.status).toBe(400);
    expect(await memberState(18002, SHOP)).toBeNull();
    expect((await postBirthday({ birthday: "01-01" }, { customerId: null })).status).toBe(401);
    expect((await postBirthday({ birthday: "01-01" }, { customerId: "18001", secret: "forged" })).status).toBe(400);
  });

  it("the birthday bonus comes on the shop-local birthday, once a year", async () => {
    const now = new Date();
    await postBirthday({ birthday: localDate(now, "Asia/Tokyo").slice(5) }, { customerId: "18003" });
    expect(await awardBirthdays(prisma, now)).toBeGreaterThanOrEqual(1);
    expect(await awardBirthdays(prisma, now)).toBe(0);
    expect((await memberState(18003, SHOP))?.pointsAvailable).toBe(300);
    const nextYear = new Date(now.getTime() + 365 * 24 * 60 * 60 * 1000);
    if (localDate(nextYear, "Asia/Tokyo").slice(5) === localDate(now, "Asia/Tokyo").slice(5)) {
      await awardBirthdays(prisma, nextYear);
      expect((await memberState(18003, SHOP))?.pointsAvailable).toBe(600);
    }
  });

  it("29 February birthdays are celebrated on 28 February in other years", () => {
    expect(birthdaysOn("2027-02-28")).toEqual(["02-28", "02-29"]);
    expect(birthdaysOn("2028-02-28")).toEqual(["02-28"]);
    expect(birthdaysOn("2028-02-29")).toEqual(["02-29"]);
  });

  it("staff award a one-off action once and a repeatable one each time, audited", async () => {
    const award = (actionId: string) =>
      run(bonusesRoute.action, adminRequest("POST", "/app/bonuses", { customerId: "18004", actionId }, SHOP));
    expect(await (await award("review")).json()).toEqual({ points: 50 });
    const again = await award("review");
    expect(again.status).toBe(422);
    expect((await again.json()).error).toContain("already awarded");
    await award("event");
    await award("event");
    expect((await award("nope")).status).toBe(422);
    expect(
      (await run(bonusesRoute.action, adminRequest("POST", "/app/bonuses", { customerId: "x" }, SHOP))).status,
    ).toBe(400);
    expect((await memberState(18004, SHOP))?.pointsAvailable).toBe(110);
    expect(await prisma.auditLog.count({ where: { action: "bonus.awarded", actor: "staff:42" } })).toBe(3);
  });

  it("redacting the customer erases the birthday", async () => {
    await deliver(
      "customers/redact",
      { shop_domain: SHOP, customer: { id: 18001 }, orders_to_redact: [] },
      { shop: SHOP },
    );
    expect(await prisma.member.count({ where: { shop: { domain: SHOP }, birthday: "02-29" } })).toBe(0);
  });
});
