import { createHmac, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import * as adjustPoints from "../../app/routes/flow.actions.adjust-points";
import * as awardPoints from "../../app/routes/flow.actions.award-points";
import { installShop, memberState } from "../support/fixtures";
import { expectBalancesMatchLedger } from "../support/invariants";
import { callAction } from "../support/routes";
import { OTHER_SHOP, SHOP } from "../support/shopify";

const routes = { "award-points": awardPoints, "adjust-points": adjustPoints } as const;
type Handle = keyof typeof routes;

interface FlowOptions {
  shop?: string;
  runId?: string;
  secret?: string;
  /** Send these bytes instead of the JSON of the payload. */
  rawBody?: string;
  handle?: string;
}

/** A Flow action run exactly as Shopify sends it: the JSON payload, signed (base64 HMAC-SHA256) with the client secret. */
function flowRequest(route: Handle, properties: Record<string, unknown>, options: FlowOptions = {}): Request {
  const shop = options.shop ?? SHOP;
  const body =
    options.rawBody ??
    JSON.stringify({
      shop_id: 60_000_000_001,
      shopify_domain: shop,
      action_run_id: options.runId ?? randomUUID(),
      action_definition_id: options.handle ?? route,
      handle: options.handle ?? route,
      properties: { ...properties, step_reference: randomUUID() },
    });
  return new Request(`https://tsumiki.test/flow/actions/${route}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Hmac-Sha256": createHmac("sha256", options.secret ?? process.env.SHOPIFY_API_SECRET!)
        .update(body, "utf8")
        .digest("base64"),
    },
    body,
  });
}

function run(route: Handle, properties: Record<string, unknown>, options: FlowOptions = {}) {
  return callAction(flowRequest(route, properties, options), routes[route]);
}

/** Everything an action could write: ledger entries, members, audit entries. */
async function writes() {
  return {
    entries: await prisma.ledgerEntry.count(),
    members: await prisma.member.count(),
    audit: await prisma.auditLog.count(),
  };
}

let customer = 7_100_000_000;
const nextCustomer = () => ++customer;

describe("Shopify Flow actions", () => {
  beforeAll(async () => {
    await installShop(SHOP);
    await installShop(OTHER_SHOP);
  });

  it("Award loyalty points credits the customer, enrolling them, with the reason and an audit entry", async () => {
    const id = nextCustomer();
    const runId = randomUUID();
    const response = await run(
      "award-points",
      { customer_id: id, points: 150, reason: "Left a product review" },
      { runId },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ outcome: "applied", points: 150, pointsAvailable: 150 });
    const member = await memberState(id);
    expect(member).toMatchObject({ pointsAvailable: 150 });
    const entry = await prisma.ledgerEntry.findFirstOrThrow({ where: { memberId: member!.id } });
    expect(entry).toMatchObject({
      kind: "adjust",
      points: 150,
      sourceType: "staff",
      sourceId: `flow:${runId}`,
      idempotencyKey: `staff:flow:${runId}`,
    });
    expect(entry.reason).toContain("Left a product review");
    const audit = await prisma.auditLog.findFirstOrThrow({
      where: { action: "member.adjusted", subject: `customer ${id}` },
    });
    expect(audit).toMatchObject({ actor: `flow:${runId}` });
    expect(audit.after).toMatchObject({ points: 150, reason: "Left a product review", available: 150 });
    await expectBalancesMatchLedger();
  });

  it("takes the customer as a gid, as digits, or as a number; and points as digits", async () => {
    const id = nextCustomer();
    for (const customer_id of [`gid://shopify/Customer/${id}`, String(id), id]) {
      const response = await run("award-points", { customer_id, points: "10", reason: "Birthday month" });
      expect(response.status).toBe(200);
    }
    expect(await memberState(id)).toMatchObject({ pointsAvailable: 30 });
    expect(await prisma.member.count({ where: { customerId: String(id) } })).toBe(1);
  });

  it("a retried run (the same action_run_id) has one effect, concurrent or later", async () => {
    const id = nextCustomer();
    const runId = randomUUID();
    const properties = { customer_id: id, points: 40, reason: "Referred a friend" };
    const first = flowRequest("award-points", properties, { runId });
    const [a, b] = await Promise.all([callAction(first.clone(), awardPoints), callAction(first.clone(), awardPoints)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const later = await callAction(first.clone(), awardPoints);
    expect(later.status).toBe(200);
    expect(await later.json()).toEqual({ outcome: "duplicate" });
    expect(await memberState(id)).toMatchObject({ pointsAvailable: 40 });
    expect(await prisma.ledgerEntry.count({ where: { idempotencyKey: `staff:flow:${runId}` } })).toBe(1);
    expect(await prisma.auditLog.count({ where: { actor: `flow:${runId}` } })).toBe(1);
    await expectBalancesMatchLedger();
  });

  it("a request Shopify did not sign is refused with 401 and writes nothing", async () => {
    const id = nextCustomer();
    const before = await writes();
    const properties = { customer_id: id, points: 1000, reason: "Free points" };
    const forged = await run("award-points", properties, { secret: "not-the-secret" });
    expect(forged.status).toBe(401);
    const unsigned = flowRequest("award-points", properties);
    unsigned.headers.delete("X-Shopify-Hmac-Sha256");
    expect((await callAction(unsigned, awardPoints)).status).toBe(401);
    // A valid signature over other bytes: the body was changed on the way.
    const signed = flowRequest("award-points", { ...properties, points: 1 });
    const tampered = new Request(signed.url, {
      method: "POST",
      headers: signed.headers,
      body: (await signed.text()).replace('"points":1', '"points":9999'),
    });
    expect((await callAction(tampered, awardPoints)).status).toBe(401);
    expect(await writes()).toEqual(before);
    expect(await memberState(id)).toBeNull();
  });

  it("fields the action cannot apply are refused with 422 and the reason, writing nothing", async () => {
    const id = nextCustomer();
    const before = await writes();
    const cases: Array<[Handle, Record<string, unknown>, RegExp]> = [
      ["award-points", { customer_id: id, points: 0, reason: "Nothing" }, /points must be more than 0/],
      ["award-points", { customer_id: id, points: -5, reason: "Negative award" }, /points must be more than 0/],
      ["award-points", { customer_id: id, points: 2.5, reason: "Fractional" }, /points must be a whole number/],
      ["award-points", { customer_id: id, points: 10 }, /reason/],
      ["award-points", { customer_id: id, points: 10, reason: " a " }, /reason/],
      ["award-points", { customer_id: id, points: 10, reason: "x".repeat(501) }, /reason/],
      ["award-points", { customer_id: "gid://shopify/Order/1", points: 10, reason: "Wrong id" }, /customer_id/],
      ["award-points", { points: 10, reason: "No customer" }, /customer_id/],
      ["adjust-points", { customer_id: id, points: 0, reason: "Zero" }, /other than 0/],
      ["adjust-points", { customer_id: id, points: 1e12, reason: "Too many" }, /at most/],
    ];
    for (const [route, properties, reason] of cases) {
      const response = await run(route, properties);
      expect(response.status, JSON.stringify(properties)).toBe(422);
      expect(((await response.json()) as { error: string }).error).toMatch(reason);
    }
    expect(await writes()).toEqual(before);
  });

  it("a body that is not this endpoint's Flow action is a 400; an uninstalled or unknown shop a 404", async () => {
    const before = await writes();
    const properties = { customer_id: nextCustomer(), points: 10, reason: "Wrong endpoint" };
    expect((await run("award-points", properties, { handle: "adjust-points" })).status).toBe(400);
    expect((await run("award-points", properties, { rawBody: "{not json" })).status).toBe(400);
    expect((await run("award-points", properties, { rawBody: JSON.stringify({ properties }) })).status).toBe(400);
    expect((await run("award-points", properties, { shop: "never-installed.myshopify.com" })).status).toBe(404);
    expect(await prisma.shop.count({ where: { domain: "never-installed.myshopify.com" } })).toBe(0);
    const get = await callAction(new Request("https://tsumiki.test/flow/actions/award-points"), awardPoints);
    expect(get.status).toBe(405);
    expect(await writes()).toEqual(before);
  });

  it("Adjust loyalty points adds and removes points, and refuses to remove more than the customer has", async () => {
    const id = nextCustomer();
    expect((await run("adjust-points", { customer_id: id, points: 300, reason: "Migrated balance" })).status).toBe(200);
    const removed = await run("adjust-points", { customer_id: id, points: -120, reason: "Returned gift" });
    expect(removed.status).toBe(200);
    expect(await removed.json()).toMatchObject({ outcome: "applied", points: -120, pointsAvailable: 180 });
    const before = await writes();
    const refused = await run("adjust-points", { customer_id: id, points: "-181", reason: "Too much" });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { error: string }).error).toMatch(/only 180 are available/);
    expect(await writes()).toEqual(before);
    expect(await memberState(id)).toMatchObject({ pointsAvailable: 180 });
    // Removing points from a customer the app has never seen: nothing to remove, and no member is created.
    const stranger = nextCustomer();
    expect((await run("adjust-points", { customer_id: stranger, points: -1, reason: "Remove one" })).status).toBe(422);
    expect(await memberState(stranger)).toBeNull();
    await expectBalancesMatchLedger();
  });

  it("acts in the shop Flow ran in: another shop's customer with the same id is untouched", async () => {
    const id = nextCustomer();
    const runId = randomUUID();
    expect((await run("award-points", { customer_id: id, points: 25, reason: "Survey" }, { runId })).status).toBe(200);
    const other = await run(
      "award-points",
      { customer_id: id, points: 70, reason: "Survey" },
      { runId, shop: OTHER_SHOP },
    );
    // The same run id in another shop is another run: each shop's ledger keys its own.
    expect(other.status).toBe(200);
    expect(await memberState(id, SHOP)).toMatchObject({ pointsAvailable: 25 });
    expect(await memberState(id, OTHER_SHOP)).toMatchObject({ pointsAvailable: 70 });
    expect((await run("adjust-points", { customer_id: id, points: -70, reason: "Undo" })).status).toBe(422);
    expect(await memberState(id, OTHER_SHOP)).toMatchObject({ pointsAvailable: 70 });
    await expectBalancesMatchLedger();
  });

  it("a credit to a blocked customer is refused; removing their points is not", async () => {
    const id = nextCustomer();
    expect((await run("award-points", { customer_id: id, points: 50, reason: "Welcome" })).status).toBe(200);
    await prisma.member.updateMany({
      where: { customerId: String(id) },
      data: { blockedAt: new Date(), blockedReason: "chargeback" },
    });
    const award = await run("award-points", { customer_id: id, points: 50, reason: "Another" });
    expect(award.status).toBe(422);
    expect(((await award.json()) as { error: string }).error).toMatch(/blocked/);
    expect((await run("adjust-points", { customer_id: id, points: -50, reason: "Chargeback" })).status).toBe(200);
    expect(await memberState(id)).toMatchObject({ pointsAvailable: 0 });
    await expectBalancesMatchLedger();
  });
});
