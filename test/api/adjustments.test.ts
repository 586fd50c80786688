import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { installShop, memberState, orderPayload } from "../support/fixtures";
import { expectBalancesMatchLedger } from "../support/invariants";
import { deliver } from "../support/routes";
import { api, entryCount, memberId, newKey } from "./support";

let customer = 8200;

describe("POST /api/v1/members/{id}/adjustments", () => {
  let key = "";
  let id = "";
  let c = 0;
  beforeEach(async () => {
    await installShop();
    key = await newKey(["write"]);
    c = ++customer;
    await deliver("orders/paid", orderPayload({ customerId: c, total: "50000" })); // 500 points
    id = await memberId(c);
  });

  it("adds 120 points with the reason on the passbook, by the key as actor", async () => {
    const answer = await api("adjustments", { key, id, body: { points: 120, reason: "Survey answered" } });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ held_for_review: null, member: { id, points: { available: 620 } } });
    const entries = await api("entries", { key, id });
    expect(entries.body.entries[0]).toMatchObject({ kind: "adjust", points: 120, balance_after: 620 });
    expect(entries.body.entries[0].description).toMatch(/^Survey answered \(by api:tsumiki_/);
    await expectBalancesMatchLedger();
  });

  it("a retry with the same Idempotency-Key answers the same and adds nothing more", async () => {
    const call = { key, id, body: { points: -200, reason: "Goodwill reversed" }, idempotencyKey: "adjust-0001" };
    const first = await api("adjustments", call);
    const entries = await entryCount(id);
    const again = await api("adjustments", call);
    expect(again.status).toBe(first.status);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(await entryCount(id)).toBe(entries);
    expect((await memberState(c))?.pointsAvailable).toBe(300);
    await expectBalancesMatchLedger();
  });

  it("two copies of one request sent at once apply once: the other is replayed or told to retry (409)", async () => {
    const entries = await entryCount(id);
    const call = { key, id, body: { points: 30, reason: "Sent twice" }, idempotencyKey: "adjust-twin" };
    const answers = await Promise.all([api("adjustments", call), api("adjustments", call)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual(expect.arrayContaining([201]));
    for (const answer of answers) expect([201, 409]).toContain(answer.status);
    expect(await entryCount(id)).toBe(entries + 1);
    expect((await memberState(c))?.pointsAvailable).toBe(530);
    await expectBalancesMatchLedger();
  });

  it("the same Idempotency-Key with another body is 422 and changes nothing", async () => {
    await api("adjustments", { key, id, body: { points: 5, reason: "First one" }, idempotencyKey: "adjust-0002" });
    const entries = await entryCount(id);
    const other = await api("adjustments", {
      key,
      id,
      body: { points: 50, reason: "First one" },
      idempotencyKey: "adjust-0002",
    });
    expect(other.status).toBe(422);
    expect(other.body.errors[0].field).toBe("Idempotency-Key");
    expect(await entryCount(id)).toBe(entries);
  });

  it("a write without an Idempotency-Key is 400", async () => {
    const answer = await api("adjustments", { key, id, body: { points: 5, reason: "No key" }, idempotencyKey: null });
    expect(answer.status).toBe(400);
    expect(answer.body.detail).toMatch(/Idempotency-Key/);
  });

  it("a bad body is 422 naming each field at fault", async () => {
    const answer = await api("adjustments", { key, id, body: { points: 1.5, reason: "x" } });
    expect(answer.status).toBe(422);
    expect(answer.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(["points", "reason"]);
    const zero = await api("adjustments", { key, id, body: { points: 0, reason: "Nothing at all" } });
    expect(zero.body.errors).toEqual([{ field: "points", message: expect.stringMatching(/other than 0/) }]);
    expect((await api("adjustments", { key, id, body: "not json" })).status).toBe(400);
  });

  it("removing more points than the member has is 409, and stays refused on retry", async () => {
    const call = { key, id, body: { points: -900, reason: "Too much" }, idempotencyKey: "adjust-0003" };
    const answer = await api("adjustments", call);
    expect(answer.status).toBe(409);
    expect(answer.body.detail).toMatch(/only 500 are available/);
    expect((await api("adjustments", call)).status).toBe(409);
    expect((await memberState(c))?.pointsAvailable).toBe(500);
  });
});

describe("an API key crediting far more than the shop's other staff", () => {
  it("has its credit held for review: the answer names the case, and the points wait as pending", async () => {
    const shop = await installShop();
    const newMember = () =>
      prisma.member.create({ data: { shopId: shop.id, customerId: String(++customer + 100_000) } });
    // The shop's usual pattern: three other keys (each a staff actor of its own) credit two customers 50 points each.
    for (let k = 0; k < 3; k++) {
      const ordinary = await newKey(["write"]);
      for (let i = 0; i < 2; i++) {
        const answer = await api("adjustments", {
          key: ordinary,
          id: (await newMember()).id,
          body: { points: 50, reason: "Goodwill" },
        });
        expect(answer.body.held_for_review).toBeNull();
      }
    }
    const generous = await newKey(["write"]);
    const target = (await newMember()).id;
    const credit = () => api("adjustments", { key: generous, id: target, body: { points: 2000, reason: "Goodwill" } });
    for (let i = 0; i < 4; i++) expect((await credit()).body.held_for_review).toBeNull();
    const held = await credit();
    expect(held.status).toBe(201);
    expect(held.body.held_for_review).toEqual(expect.any(String));
    expect(held.body.member.points).toMatchObject({ available: 8000, pending: 2000 });
    const reviewCase = await prisma.reviewCase.findUniqueOrThrow({ where: { id: held.body.held_for_review } });
    expect(reviewCase).toMatchObject({ memberId: target, status: "open", rule: "staff_outlier" });
    await expectBalancesMatchLedger();
  });
});
