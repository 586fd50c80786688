import { beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { saveFraudSettings } from "../../app/fraud/settings.server";
import { staffOutlierCaseKey } from "../../app/fraud/staff.server";
import { DEFAULT_THRESHOLDS } from "../../app/fraud/thresholds";
import * as passbookRoute from "../../app/routes/app.customers.$id";
import * as permissionsRoute from "../../app/routes/app.permissions";
import * as reviewRoute from "../../app/routes/app.review";
import { installShop, uniqueId } from "../support/fixtures";
import { expectBalancesMatchLedger } from "../support/invariants";
import { callRoute } from "../support/routes";
import { adminRequest } from "../support/shopify";

// Staff, as Shopify's session tokens name them: 42 owns each shop (the test interceptor's token exchange says so) and
// reviews; 11–13 adjust as usual; 14 credits customers far more, and far larger, than the others.
const OWNER = "42";
const ORDINARY = ["11", "12", "13"];
const OUTLIER = "14";

const adjustAs = (domain: string, staff: string, memberId: string, points: number, key = `adjustment-${uniqueId()}`) =>
  callRoute(
    passbookRoute,
    "action",
    adminRequest(
      "POST",
      `/app/customers/${memberId}`,
      { intent: "adjust", points: String(points), reason: "Goodwill credit", key },
      domain,
      staff,
    ),
    { id: memberId },
  ) as Promise<Response>;
const decide = (domain: string, staff: string, body: unknown) =>
  callRoute(reviewRoute, "action", adminRequest("POST", "/app/review", body, domain, staff)) as Promise<Response>;

async function newMember(shopId: string) {
  return prisma.member.create({ data: { shopId, customerId: String(uniqueId()) } });
}
const balance = async (memberId: string) => {
  const m = await prisma.member.findUniqueOrThrow({ where: { id: memberId } });
  return { available: m.pointsAvailable, pending: m.pointsPending };
};
const casesOf = (shopId: string) => prisma.reviewCase.findMany({ where: { shopId }, orderBy: { createdAt: "asc" } });

/** Each ordinary staff member credits two customers 50 points each: the shop's usual pattern. */
async function ordinaryMonth(domain: string, shopId: string, staff: readonly string[]) {
  for (const id of staff) {
    for (let i = 0; i < 2; i++) {
      const response = await adjustAs(domain, id, (await newMember(shopId)).id, 50);
      expect(await response.json()).toEqual({ ok: true, applied: true });
    }
  }
}

describe("staff outliers: one staff member's credits far above the others' are held for review", () => {
  const SHOP = "staff-outlier-hold.myshopify.com";
  let shopId = "";

  beforeAll(async () => {
    shopId = (await installShop(SHOP)).id;
  });

  it("flags the outlier's later credits and holds their points; the others' stay spendable; approving releases", async () => {
    await ordinaryMonth(SHOP, shopId, ORDINARY);
    const x = await newMember(shopId);
    const y = await newMember(shopId);

    // Four large credits: fewer than the rule's minimum of adjustments, so spendable at once.
    for (let i = 0; i < 4; i++) {
      expect(await (await adjustAs(SHOP, OUTLIER, x.id, 2000)).json()).toEqual({ ok: true, applied: true });
    }
    expect(await balance(x.id)).toEqual({ available: 8000, pending: 0 });
    expect(await casesOf(shopId)).toEqual([]);

    // The fifth makes five adjustments for 10,000 points against the others' two for 100: held, with a clear answer.
    const fifth = await adjustAs(SHOP, OUTLIER, x.id, 2000, "outlier-fifth");
    expect(fifth.status).toBe(200);
    const answer = (await fifth.json()) as { ok: boolean; applied: boolean; held: string };
    expect(answer).toEqual({ ok: true, applied: true, held: expect.any(String) });
    expect(await balance(x.id)).toEqual({ available: 8000, pending: 2000 });
    const [opened] = await casesOf(shopId);
    expect(opened).toMatchObject({
      id: answer.held,
      memberId: x.id,
      rule: "staff_outlier",
      code: "fraud.staff_outlier.points",
      status: "open",
      points: 2000,
      caseKey: staffOutlierCaseKey(`staff:${OUTLIER}`, new Date(), DEFAULT_THRESHOLDS),
    });
    expect((opened.evidence as { staffIds: string[] }).staffIds).toEqual([`staff:${OUTLIER}`]);
    const heldLots = await prisma.lot.findMany({ where: { heldByCaseId: opened.id } });
    expect(heldLots).toHaveLength(1);
    expect(heldLots[0]).toMatchObject({ amount: 2000, remaining: 2000, activatedAt: null });

    // A retried form applies nothing again.
    expect(await (await adjustAs(SHOP, OUTLIER, x.id, 2000, "outlier-fifth")).json()).toEqual({
      ok: true,
      applied: false,
    });

    // The next credit to the same customer joins the same case; one to another customer gets a case of its own
    // (a case names one customer, whose lots its approval releases).
    expect(((await (await adjustAs(SHOP, OUTLIER, x.id, 1500)).json()) as { held: string }).held).toBe(opened.id);
    const toY = (await (await adjustAs(SHOP, OUTLIER, y.id, 3000)).json()) as { held: string };
    expect(toY.held).not.toBe(opened.id);
    expect(await balance(x.id)).toEqual({ available: 8000, pending: 3500 });
    expect(await balance(y.id)).toEqual({ available: 0, pending: 3000 });
    expect(await prisma.reviewCase.findUniqueOrThrow({ where: { id: opened.id } })).toMatchObject({ points: 3500 });
    expect(await prisma.reviewCase.findUniqueOrThrow({ where: { id: toY.held } })).toMatchObject({
      memberId: y.id,
      rule: "staff_outlier",
      status: "open",
      points: 3000,
    });

    // Removing points is never held.
    expect(await (await adjustAs(SHOP, OUTLIER, x.id, -500)).json()).toEqual({ ok: true, applied: true });
    expect(await balance(x.id)).toEqual({ available: 7500, pending: 3500 });

    // The other staff's credits stay spendable.
    const z = await newMember(shopId);
    expect(await (await adjustAs(SHOP, ORDINARY[0], z.id, 50)).json()).toEqual({ ok: true, applied: true });
    expect(await balance(z.id)).toEqual({ available: 50, pending: 0 });
    await expectBalancesMatchLedger();

    // The case is about the outlier: they may not decide it themselves (403, nothing changes).
    const own = await decide(SHOP, OUTLIER, { caseId: opened.id, decision: "approve", reason: "Fine" });
    expect(own.status).toBe(403);
    expect(((await own.json()) as { error: string }).error).toMatch(/your own/);
    expect(await prisma.reviewCase.findUniqueOrThrow({ where: { id: opened.id } })).toMatchObject({ status: "open" });
    expect(await balance(x.id)).toEqual({ available: 7500, pending: 3500 });

    // Another staff member approves: the held points are spendable at once.
    const approved = await decide(SHOP, OWNER, { caseId: opened.id, decision: "approve", reason: "Checked" });
    expect(approved.status).toBe(200);
    expect(await balance(x.id)).toEqual({ available: 11_000, pending: 0 });
    expect(await prisma.lot.count({ where: { heldByCaseId: opened.id } })).toBe(0);
    // Rejecting the other case takes its points back.
    const rejected = await decide(SHOP, OWNER, { caseId: toY.held, decision: "reject", reason: "No such promise" });
    expect(rejected.status).toBe(200);
    expect(await balance(y.id)).toEqual({ available: 0, pending: 0 });

    // A credit after the decision is held again, under a case of its own (a decided case is final).
    const after = (await (await adjustAs(SHOP, OUTLIER, x.id, 2000)).json()) as { held: string };
    expect(after.held).toEqual(expect.any(String));
    expect(after.held).not.toBe(opened.id);
    expect(await balance(x.id)).toEqual({ available: 11_000, pending: 2000 });
    await expectBalancesMatchLedger();
  });
});

describe("staff outliers under the four-eyes rule", () => {
  it("a large credit the outlier asked for is held when a second staff member approves it", async () => {
    const SHOP = "staff-outlier-four-eyes.myshopify.com";
    const shopId = (await installShop(SHOP)).id;
    const saved = (await callRoute(
      permissionsRoute,
      "action",
      adminRequest(
        "POST",
        "/app/permissions",
        { intent: "save", defaultGrants: ["adjust"], adjustLimit: "2500", staff: [] },
        SHOP,
        OWNER,
      ),
    )) as Response;
    expect(saved.status).toBe(200);
    await ordinaryMonth(SHOP, shopId, ORDINARY);
    const x = await newMember(shopId);
    for (let i = 0; i < 4; i++) {
      expect(await (await adjustAs(SHOP, OUTLIER, x.id, 2000)).json()).toEqual({ ok: true, applied: true });
    }
    const asked = await adjustAs(SHOP, OUTLIER, x.id, 5000);
    expect(asked.status).toBe(202);
    const { pending } = (await asked.json()) as { pending: string };
    const approved = (await callRoute(
      permissionsRoute,
      "action",
      adminRequest("POST", "/app/permissions", { intent: "approve", id: pending }, SHOP, OWNER),
    )) as Response;
    expect(approved.status).toBe(200);
    const answer = (await approved.json()) as { applied: boolean; held: string; status: string };
    expect(answer).toEqual({ ok: true, applied: true, held: expect.any(String), status: "approved" });
    expect(await balance(x.id)).toEqual({ available: 8000, pending: 5000 });
    expect(await prisma.reviewCase.findUniqueOrThrow({ where: { id: answer.held } })).toMatchObject({
      rule: "staff_outlier",
      status: "open",
      points: 5000,
    });
    await expectBalancesMatchLedger();
  });
});

describe("staff outliers need a population to compare with", () => {
  it("a shop with two staff holds nothing, however many and large one of them's credits", async () => {
    const SHOP = "staff-outlier-two.myshopify.com";
    const shopId = (await installShop(SHOP)).id;
    await ordinaryMonth(SHOP, shopId, [ORDINARY[0]]);
    const x = await newMember(shopId);
    for (let i = 0; i < 8; i++) {
      expect(await (await adjustAs(SHOP, OUTLIER, x.id, 2000)).json()).toEqual({ ok: true, applied: true });
    }
    expect(await balance(x.id)).toEqual({ available: 16_000, pending: 0 });
    expect(await casesOf(shopId)).toEqual([]);
    await expectBalancesMatchLedger();
  });

  it("a shop that switched detection off, or the rule off, holds nothing", async () => {
    for (const [domain, settings] of [
      ["staff-outlier-off.myshopify.com", { enabled: false, thresholds: DEFAULT_THRESHOLDS }],
      [
        "staff-outlier-rule-off.myshopify.com",
        {
          enabled: true,
          thresholds: { ...DEFAULT_THRESHOLDS, staffOutlier: { ...DEFAULT_THRESHOLDS.staffOutlier, enabled: false } },
        },
      ],
    ] as const) {
      const shopId = (await installShop(domain)).id;
      await prisma.$transaction((tx) => saveFraudSettings(tx, shopId, settings, `staff:${OWNER}`));
      await ordinaryMonth(domain, shopId, ORDINARY);
      const x = await newMember(shopId);
      for (let i = 0; i < 8; i++) {
        expect(await (await adjustAs(domain, OUTLIER, x.id, 2000)).json()).toEqual({ ok: true, applied: true });
      }
      expect(await balance(x.id)).toEqual({ available: 16_000, pending: 0 });
      expect(await casesOf(shopId)).toEqual([]);
    }
    await expectBalancesMatchLedger();
  });
});
