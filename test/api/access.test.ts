import { beforeAll, describe, expect, it } from "vitest";
import { keyPrefix } from "../../app/api/keys";
import { revokeApiKey } from "../../app/api/keys.server";
import prisma from "../../app/db.server";
import { installShop, orderPayload } from "../support/fixtures";
import { deliver } from "../support/routes";
import { OTHER_SHOP } from "../support/shopify";
import { api, API_ROUTES, memberId, newKey, type Call, type RouteName } from "./support";

const WRONG_KEY = `tsumiki_${"A".repeat(40)}`;

/** A valid call to each route (the member filled in per test). */
const VALID: Record<Exclude<RouteName, "openapi">, (id: string) => Call> = {
  members: () => ({ query: { customer_id: "8100" } }),
  member: (id) => ({ id }),
  entries: (id) => ({ id }),
  lots: (id) => ({ id }),
  tiers: () => ({}),
  program: () => ({}),
  adjustments: (id) => ({ id, body: { points: 10, reason: "API test" } }),
  events: (id) => ({ id, body: { action_id: "review" } }),
  redemptions: (id) => ({ id, body: { reward_id: "points-500" } }),
};
const ROUTES = Object.keys(VALID) as Array<keyof typeof VALID>;
const MEMBER_ROUTES = ROUTES.filter((name) => API_ROUTES[name].path.includes("{id}"));

let mine = "";
let theirs = "";

beforeAll(async () => {
  await installShop();
  await installShop(OTHER_SHOP);
  await deliver("orders/paid", orderPayload({ customerId: 8100, total: "10000" }));
  await deliver("orders/paid", orderPayload({ customerId: 8101, total: "10000" }), { shop: OTHER_SHOP });
  mine = await memberId(8100);
  theirs = await memberId(8101, OTHER_SHOP);
});

describe.each(ROUTES)("%s: who may call it", (name) => {
  it("no key or an unknown key is 401, as a problem", async () => {
    for (const key of [null, WRONG_KEY, "not-a-key"]) {
      const answer = await api(name, { ...VALID[name](mine), key });
      expect(answer.status).toBe(401);
      expect(answer.headers.get("content-type")).toBe("application/problem+json");
      expect(answer.body.type).toBe("https://tsumiki.app/problems/unauthorized");
    }
  });

  it("a key without the scope is 403 (a read key writing; a key with no scopes reading)", async () => {
    const key = await newKey(API_ROUTES[name].method === "POST" ? ["read"] : []);
    const answer = await api(name, { ...VALID[name](mine), key });
    expect(answer.status).toBe(403);
    expect(answer.body.detail).toContain(API_ROUTES[name].method === "POST" ? '"write"' : '"read"');
  });

  it("a key limited to 2 requests a minute gets 429 with Retry-After on the third", async () => {
    const key = await newKey(["read", "write"], { rateLimitPerMinute: 2 });
    for (let i = 0; i < 2; i++) expect((await api(name, { ...VALID[name](mine), key })).status).not.toBe(429);
    const limited = await api(name, { ...VALID[name](mine), key });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });
});

describe.each(MEMBER_ROUTES)("%s: another shop's member", (name) => {
  it("is not found (404, never 403), and nothing happens to them", async () => {
    const key = await newKey(["write"]);
    const answer = await api(name, { ...VALID[name](theirs), key });
    expect(answer.status).toBe(404);
    expect(answer.body.type).toBe("https://tsumiki.app/problems/not-found");
  });
});

describe("a revoked key", () => {
  it("is 401 and says it was revoked", async () => {
    const key = await newKey(["read"]);
    const record = await prisma.apiKey.findFirstOrThrow({ where: { prefix: keyPrefix(key) } });
    await prisma.$transaction((tx) => revokeApiKey(tx, record.shopId, record.id, "staff:1"));
    const answer = await api("program", { key });
    expect(answer.status).toBe(401);
    expect(answer.body.detail).toMatch(/revoked/);
  });
});
