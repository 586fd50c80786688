import { beforeAll, describe, expect, it } from "vitest";
import { defaultProgram } from "../../app/program/program";
import prisma from "../../app/db.server";
import * as bonusesRoute from "../../app/routes/app.bonuses";
import * as passbookRoute from "../../app/routes/app.customers.$id";
import { installShop, memberState, orderPayload } from "../support/fixtures";
import { callRoute, deliver } from "../support/routes";
import { adminRequest } from "../support/shopify";

const SHOP = "bonus-page.myshopify.com";
const versions = async () => prisma.programVersion.count({ where: { shop: { domain: SHOP } } });
const post = (route: typeof bonusesRoute | typeof passbookRoute, path: string, body: unknown, id?: string) =>
  callRoute(route, "action", adminRequest("POST", path, body, SHOP), id ? { id } : {}) as Promise<Response>;

describe("the bonuses page: staff define actions and award them, from the page or the passbook", () => {
  beforeAll(async () => {
    const shop = await installShop(SHOP);
    await prisma.programVersion.create({
      data: { shopId: shop.id, version: 2, settings: { ...defaultProgram("JPY") } as never },
    });
    await deliver("orders/paid", orderPayload({ customerId: 19001, total: "1000" }), { shop: SHOP });
  });

  it("saving actions validates every field (422 naming each, nothing saved), then saves a new program version", async () => {
    const before = await versions();
    const refused = await post(bonusesRoute, "/app/bonuses", {
      intent: "save",
      actions: [
        { id: "review", name: "", points: 0, repeatable: false },
        { id: "review", name: "Twice", points: 10, repeatable: true },
      ],
    });
    expect(refused.status).toBe(422);
    expect((await refused.json()).errors).toMatchObject({
      "actions.0.name": expect.any(String),
      "actions.0.points": expect.any(String),
      "actions.1.id": expect.any(String),
    });
    expect(await versions()).toBe(before);

    const saved = await post(bonusesRoute, "/app/bonuses", {
      intent: "save",
      actions: [
        { id: "review", name: "Wrote a review", points: 50, repeatable: false },
        { id: "visit", name: "Came to a tasting", points: 30, repeatable: true },
      ],
    });
    expect(saved.status).toBe(200);
    expect(await versions()).toBe(before + 1);
    const page = (await callRoute(bonusesRoute, "loader", adminRequest("GET", "/app/bonuses", undefined, SHOP))) as {
      actions: Array<{ id: string }>;
    };
    expect(page.actions.map((action) => action.id)).toEqual(["review", "visit"]);
  });

  it("awards from the page, then lists the award with the staff member", async () => {
    const response = await post(bonusesRoute, "/app/bonuses", {
      intent: "award",
      customerId: "19001",
      actionId: "visit",
    });
    expect(await response.json()).toEqual({ points: 30 });
    const page = (await callRoute(bonusesRoute, "loader", adminRequest("GET", "/app/bonuses", undefined, SHOP))) as {
      awards: Array<{ customer: string; action: string; points: number; actor: string }>;
    };
    expect(page.awards[0]).toMatchObject({
      customer: "19001",
      action: "Came to a tasting",
      points: 30,
      actor: "staff:42",
    });
  });

  it("awards a one-off action from the passbook once; the second time is refused and adds nothing", async () => {
    const member = await memberState(19001, SHOP);
    const before = member!.pointsAvailable;
    const first = await post(
      passbookRoute,
      `/app/customers/${member!.id}`,
      { intent: "award", actionId: "review" },
      member!.id,
    );
    expect(await first.json()).toEqual({ ok: true, awarded: 50 });
    const again = await post(
      passbookRoute,
      `/app/customers/${member!.id}`,
      { intent: "award", actionId: "review" },
      member!.id,
    );
    expect(again.status).toBe(422);
    expect((await memberState(19001, SHOP))?.pointsAvailable).toBe(before + 50);
    const unknown = await post(
      passbookRoute,
      `/app/customers/${member!.id}`,
      { intent: "award", actionId: "nope" },
      member!.id,
    );
    expect(unknown.status).toBe(422);
    const passbook = (await callRoute(
      passbookRoute,
      "loader",
      adminRequest("GET", `/app/customers/${member!.id}`, undefined, SHOP),
      { id: member!.id },
    )) as { actions: Array<{ id: string }> };
    expect(passbook.actions.map((action) => action.id)).toEqual(["review", "visit"]);
  });

  it("a bad intent or body is 400 and writes nothing", async () => {
    const before = await versions();
    expect((await post(bonusesRoute, "/app/bonuses", { intent: "delete" })).status).toBe(400);
    expect((await post(bonusesRoute, "/app/bonuses", { intent: "save", actions: "all" })).status).toBe(400);
    expect(
      (await post(bonusesRoute, "/app/bonuses", { intent: "award", customerId: "abc", actionId: "visit" })).status,
    ).toBe(400);
    expect(await versions()).toBe(before);
  });
});
