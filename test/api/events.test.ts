import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { installShop, memberState, orderPayload } from "../support/fixtures";
import { expectBalancesMatchLedger } from "../support/invariants";
import { deliver } from "../support/routes";
import { api, changeProgram, entryCount, memberId, newKey } from "./support";

let customer = 8300;

describe("POST /api/v1/members/{id}/events", () => {
  let key = "";
  let id = "";
  let c = 0;
  beforeAll(async () => {
    await installShop();
    await changeProgram({
      actions: [
        { id: "review", name: "Wrote a review", points: 50, repeatable: false },
        { id: "share", name: "Shared a post", points: 5, repeatable: true },
      ],
    });
  });
  beforeEach(async () => {
    key = await newKey(["write"]);
    c = ++customer;
    await deliver("orders/paid", orderPayload({ customerId: c, total: "10000" })); // 100 points
    id = await memberId(c);
  });

  it("a review written earns the action's 50 points", async () => {
    const answer = await api("events", { key, id, body: { action_id: "review" } });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ action_id: "review", points: 50, member: { points: { available: 150 } } });
    await expectBalancesMatchLedger();
  });

  it("a repeatable action retried with the same Idempotency-Key earns once", async () => {
    const call = { key, id, body: { action_id: "share" }, idempotencyKey: "share-0001" };
    const first = await api("events", call);
    const entries = await entryCount(id);
    const again = await api("events", call);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await entryCount(id)).toBe(entries);
    expect((await memberState(c))?.pointsAvailable).toBe(105);
    // A new key is a new share.
    await api("events", { key, id, body: { action_id: "share" } });
    expect((await memberState(c))?.pointsAvailable).toBe(110);
  });

  it("a one-off action awarded twice (two keys) is 409 the second time", async () => {
    expect((await api("events", { key, id, body: { action_id: "review" } })).status).toBe(201);
    const twice = await api("events", { key, id, body: { action_id: "review" } });
    expect(twice.status).toBe(409);
    expect((await memberState(c))?.pointsAvailable).toBe(150);
  });

  it("an action the program does not have, or none, is 422 naming action_id", async () => {
    const unknown = await api("events", { key, id, body: { action_id: "dance" } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].field).toBe("action_id");
    const missing = await api("events", { key, id, body: {} });
    expect(missing.body.errors[0].field).toBe("action_id");
  });
});
