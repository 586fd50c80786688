import { beforeAll, describe, expect, it } from "vitest";
import { installShop } from "../support/fixtures";
import { api, changeProgram, newKey } from "./support";

let key = "";

beforeAll(async () => {
  await installShop();
  key = await newKey(["read"]);
});

describe("GET /api/v1/program", () => {
  it("a new shop's program: 1 point per ¥100, a point worth ¥1, rewards of ¥500 and ¥1,000", async () => {
    const answer = await api("program", { key });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      version: 1,
      currency: "JPY",
      earn_rate: { points: 1, per: { amount_minor: 100, currency: "JPY" } },
      point_value: { amount_minor: 1, currency: "JPY" },
    });
    expect(answer.body.rewards.map((r: { id: string }) => r.id)).toEqual(["points-500", "points-1000"]);
  });
});

describe("GET /api/v1/tiers", () => {
  it("lists the tiers, lowest first, with thresholds in minor units of spend", async () => {
    await changeProgram({
      tiers: {
        levels: [
          { id: "silver", name: "Silver", threshold: 30_000, earnExtraPercent: 20, reachBonus: 0 },
          { id: "gold", name: "Gold", threshold: 100_000, earnExtraPercent: 50, reachBonus: 500 },
        ],
        basis: "spend",
        period: "rolling12",
        downgrade: "periodEnd",
        graceDays: 30,
      },
    });
    const answer = await api("tiers", { key });
    expect(answer.body.tiers.map((tier: { id: string }) => tier.id)).toEqual(["silver", "gold"]);
    expect(answer.body).toMatchObject({ basis: "spend", currency: "JPY" });
    expect((await api("program", { key })).body.version).toBe(2);
  });
});
