import { beforeEach, describe, expect, it } from "vitest";
import { adminApi, happyAdmin, resetAdminApi } from "../support/admin-api";
import { installShop, memberState, orderPayload } from "../support/fixtures";
import { expectBalancesMatchLedger } from "../support/invariants";
import { deliver } from "../support/routes";
import { api, entryCount, memberId, newKey } from "./support";

let customer = 8400;
const created = () => adminApi.calls.filter((call) => call.operation === "TsumikiCreateRewardCode");

describe("POST /api/v1/members/{id}/redemptions", () => {
  let key = "";
  let id = "";
  let c = 0;
  beforeEach(async () => {
    await installShop();
    resetAdminApi(happyAdmin);
    key = await newKey(["write"]);
    c = ++customer;
    await deliver("orders/paid", orderPayload({ customerId: c, total: "120000" })); // 1,200 points
    id = await memberId(c);
  });

  it("turns 500 points into a ¥500 single-use code for the member", async () => {
    const answer = await api("redemptions", { key, id, body: { reward_id: "points-500" } });
    expect(answer.status).toBe(201);
    expect(answer.body.code).toMatchObject({
      reward_id: "points-500",
      points: 500,
      value: { amount_minor: 500, currency: "JPY" },
    });
    expect(answer.body.code.code).toMatch(/^TSUMIKI-[A-Z2-9]{10}$/);
    expect(answer.body.member.points.available).toBe(700);
    expect(created()[0].variables.discount).toMatchObject({ code: answer.body.code.code });
    await expectBalancesMatchLedger();
  });

  it("a retry with the same Idempotency-Key gets the same code; Shopify is asked once, points spent once", async () => {
    const call = { key, id, body: { reward_id: "points-500" }, idempotencyKey: "redeem-0001" };
    const first = await api("redemptions", call);
    const entries = await entryCount(id);
    const again = await api("redemptions", call);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(created()).toHaveLength(1);
    expect(await entryCount(id)).toBe(entries);
    expect((await memberState(c))?.pointsAvailable).toBe(700);
  });

  it("a reward the program does not offer is 422 naming reward_id; too few points is 409", async () => {
    const unknown = await api("redemptions", { key, id, body: { reward_id: "points-7" } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].field).toBe("reward_id");
    expect((await api("redemptions", { key, id, body: { reward_id: 5 } })).body.errors[0].field).toBe("reward_id");
    await api("redemptions", { key, id, body: { reward_id: "points-1000" } });
    const short = await api("redemptions", { key, id, body: { reward_id: "points-500" } });
    expect(short.status).toBe(409);
    expect(created()).toHaveLength(1);
    await expectBalancesMatchLedger();
  });

  it("Shopify refusing the code is 502 and keeps every point; that key's answer stays 502, a new key tries again", async () => {
    adminApi.failWith = 500;
    const call = { key, id, body: { reward_id: "points-500" }, idempotencyKey: "redeem-0002" };
    const refused = await api("redemptions", call);
    expect(refused.status).toBe(502);
    expect((await memberState(c))?.pointsAvailable).toBe(1200);
    adminApi.failWith = null;
    expect((await api("redemptions", call)).status).toBe(502);
    expect((await api("redemptions", { ...call, idempotencyKey: "redeem-0003" })).status).toBe(201);
  });
});
