import { beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { adjustMember } from "../../app/members/staff-actions.server";
import { customerPayload, installShop, orderPayload } from "../support/fixtures";
import { deliver } from "../support/routes";
import { api, memberId, newKey } from "./support";

let key = "";
let id = "";

beforeAll(async () => {
  await installShop();
  key = await newKey(["read"]);
  await deliver("customers/create", customerPayload(8500));
  await deliver("orders/paid", orderPayload({ customerId: 8500, total: "54000" })); // 540 points
  id = await memberId(8500);
});

describe("GET /api/v1/members", () => {
  it("finds a member by Shopify customer id, numeric or GID", async () => {
    for (const customer_id of ["8500", "gid://shopify/Customer/8500"]) {
      const answer = await api("members", { key, query: { customer_id } });
      expect(answer.body.members).toEqual([expect.objectContaining({ id, customer_id: "8500" })]);
    }
  });

  it("finds a member by email in any case, and by a search of names and emails", async () => {
    const byEmail = await api("members", { key, query: { email: "Customer8500@Example.com" } });
    expect(byEmail.body.members.map((m: { id: string }) => m.id)).toEqual([id]);
    const bySearch = await api("members", { key, query: { query: "customer8500" } });
    expect(bySearch.body.members.map((m: { id: string }) => m.id)).toEqual([id]);
  });

  it("nobody found is an empty list; no criterion, or two, is 422", async () => {
    expect((await api("members", { key, query: { customer_id: "1" } })).body.members).toEqual([]);
    const none = await api("members", { key });
    expect(none.status).toBe(422);
    expect(none.body.errors[0].field).toBe("query");
    expect((await api("members", { key, query: { email: "nope" } })).body.errors[0].field).toBe("email");
  });
});

describe("GET /api/v1/members/{id}", () => {
  it("an order of ¥54,000 shows as 540 available points", async () => {
    const answer = await api("member", { key, id });
    expect(answer.status).toBe(200);
    expect(answer.body.member).toMatchObject({ id, points: { available: 540, pending: 0, reserved: 0, debt: 0 } });
  });

  it("an unknown member is 404", async () => {
    expect((await api("member", { key, id: "no-such-member" })).status).toBe(404);
  });
});

describe("GET /api/v1/members/{id}/entries and /lots", () => {
  it("pages the passbook newest first with a cursor until the last page", async () => {
    const shop = await installShop();
    for (let i = 1; i <= 52; i++) {
      await prisma.$transaction((tx) =>
        adjustMember(tx, shop, id, { points: 1, reason: `Stamp ${i}`, key: `stamp-key-${i}` }, "staff:1"),
      );
    }
    const first = await api("entries", { key, id });
    expect(first.body.entries).toHaveLength(50);
    expect(first.body.entries[0]).toMatchObject({ kind: "adjust", points: 1, balance_after: 592 });
    expect(first.body.entries[0].description).toMatch(/^Stamp 52/);
    const second = await api("entries", { key, id, query: { cursor: first.body.next_cursor } });
    expect(second.body.entries.map((e: { kind: string }) => e.kind)).toEqual(["adjust", "adjust", "earn"]);
    expect(second.body.next_cursor).toBeNull();
    const bad = await api("entries", { key, id, query: { cursor: "abc" } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe("cursor");
  });

  it("lists the lots still holding points", async () => {
    const answer = await api("lots", { key, id });
    expect(answer.status).toBe(200);
    expect(answer.body.lots[0]).toMatchObject({ amount: 540, remaining: 540, pending: false });
  });
});
