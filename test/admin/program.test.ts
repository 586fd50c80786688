import { beforeEach, describe, expect, it } from "vitest";
import { defaultProgram } from "../../app/core/program";
import prisma from "../../app/db.server";
import * as programRoute from "../../app/routes/app.program";
import { installShop, memberState, orderPayload, refundPayload } from "../support/fixtures";
import { deliver } from "../support/routes";
import { adminRequest, SHOP } from "../support/shopify";

async function call(request: Request, handler: "loader" | "action") {
  try {
    return await programRoute[handler]({ request, params: {}, context: {} } as never);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

describe("the program page", () => {
  beforeEach(async () => {
    await installShop();
  });

  it("shows the program in force with its plain-language summary", async () => {
    const response = (await call(adminRequest("GET", "/app/program?locale=ja"), "loader")) as unknown as Record<
      string,
      unknown
    >;
    expect(response).toMatchObject({ settings: { earnRate: { points: 1, perMinor: 100 } }, locale: "ja" });
    expect((response.summary as string[])[0]).toContain("ポイントが貯まります");
  });

  it("saving creates a new version; old orders are reversed with the rules they were earned under", async () => {
    const before = orderPayload({ customerId: 14001, total: "5400" });
    await deliver("orders/paid", before); // 54 points at 1 per ¥100
    const settings = { ...defaultProgram("JPY"), earnRate: { points: 3, perMinor: 100 } };
    const saved = (await call(adminRequest("POST", "/app/program", { settings }), "action")) as Response;
    expect(saved.status).toBe(200);
    expect(await saved.json()).toEqual({ version: 2 });

    await deliver("orders/paid", orderPayload({ customerId: 14001, total: "5400" })); // 162 points at 3 per ¥100
    expect((await memberState(14001))?.pointsAvailable).toBe(54 + 162);
    await deliver(
      "refunds/create",
      refundPayload(before.id, [{ lineItemId: before.line_items[0].id, subtotal: "5400" }]),
    );
    expect((await memberState(14001))?.pointsAvailable).toBe(162);

    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: "program.saved" } });
    expect(audit).toMatchObject({ actor: "staff:42", subject: "program version 2" });
    expect(audit.before).toMatchObject({ earnRate: { points: 1 } });
    expect(audit.after).toMatchObject({ earnRate: { points: 3 } });
  });

  it("a rejected save answers 422 with field errors and changes nothing", async () => {
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    const versions = await prisma.programVersion.count({ where: { shopId: shop.id } });
    const audits = await prisma.auditLog.count();
    const settings = {
      ...defaultProgram("JPY"),
      earnRate: { points: 0, perMinor: 100 },
      pendingDays: 30,
      expiryDays: 7,
    };
    const response = (await call(adminRequest("POST", "/app/program", { settings }), "action")) as Response;
    expect(response.status).toBe(422);
    expect((await response.json()).errors).toMatchObject({
      "earnRate.points": expect.any(String),
      expiryDays: expect.any(String),
    });
    expect(await prisma.programVersion.count({ where: { shopId: shop.id } })).toBe(versions);
    expect(await prisma.auditLog.count()).toBe(audits);
  });

  it("a body that is not settings answers 400", async () => {
    const response = (await call(adminRequest("POST", "/app/program", "nonsense"), "action")) as Response;
    expect(response.status).toBe(400);
  });

  it("without a valid session token the admin is not served", async () => {
    const forged = new Request("https://tsumiki.test/app/program", {
      method: "POST",
      headers: { Authorization: "Bearer not.a.token" },
      body: "{}",
    });
    const response = (await call(forged, "action")) as Response;
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await prisma.auditLog.count({ where: { actor: { contains: "unknown" } } })).toBe(0);
  });
});
