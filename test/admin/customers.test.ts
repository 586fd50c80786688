import { beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import * as customersRoute from "../../app/routes/app.customers._index";
import * as passbookRoute from "../../app/routes/app.customers.$id";
import type { MemberPage } from "../../app/members/search.server";
import type { Passbook } from "../../app/members/passbook.server";
import { adminAnswers, happyAdmin, resetAdminApi } from "../support/admin-api";
import { installShop, memberState, orderPayload, refundPayload } from "../support/fixtures";
import { expectBalancesMatchLedger } from "../support/invariants";
import { callRoute, deliver } from "../support/routes";
import { adminRequest } from "../support/shopify";

const list = async (query: string) =>
  (await callRoute(customersRoute, "loader", adminRequest("GET", `/app/customers?${query}`))) as { page: MemberPage };
const book = async (memberId: string, query = "") =>
  (await callRoute(passbookRoute, "loader", adminRequest("GET", `/app/customers/${memberId}${query}`), {
    id: memberId,
  })) as { passbook: Passbook; formKey: string };
const act = (memberId: string, body: unknown, staff = "42") =>
  callRoute(passbookRoute, "action", adminRequest("POST", `/app/customers/${memberId}`, body, undefined, staff), {
    id: memberId,
  }) as Promise<Response>;
const memberId = async (customerId: number) =>
  (await prisma.member.findFirstOrThrow({ where: { customerId: String(customerId) } })).id;

describe("the customers page", () => {
  beforeAll(async () => {
    await installShop();
    const people = [
      { id: 9101, first: "Hanako", last: "Yamada", email: "hanako@example.jp", total: "54000" },
      { id: 9102, first: "Taro", last: "Suzuki", email: "taro@example.jp", total: "12000" },
      { id: 9103, first: "Ken", last: "Yamamoto", email: "ken_100%@example.com", total: "3000" },
    ];
    for (const person of people) {
      const order = orderPayload({ customerId: person.id, total: person.total });
      order.customer = { ...order.customer!, first_name: person.first, last_name: person.last, email: person.email };
      await deliver("orders/paid", order);
    }
  });

  it("searches by name, email or customer id", async () => {
    expect((await list("q=yama")).page.rows.map((r) => r.customerId).sort()).toEqual(["9101", "9103"]);
    expect((await list("q=Yamada%20Hanako")).page.rows.map((r) => r.customerId)).toEqual(["9101"]);
    expect((await list("q=TARO@EXAMPLE")).page.rows.map((r) => r.customerId)).toEqual(["9102"]);
    expect((await list("q=9102")).page.rows.map((r) => r.name)).toEqual(["Suzuki Taro"]);
    expect((await list("q=gid://shopify/Customer/9103")).page.total).toBe(1);
    // A LIKE wildcard in the search is a literal character.
    expect((await list("q=100%25")).page.rows.map((r) => r.customerId)).toEqual(["9103"]);
    expect((await list("q=_")).page.rows.map((r) => r.customerId)).toEqual(["9103"]);
  });

  it("filters by balance range and activity, sorts, and pages on the server", async () => {
    expect((await list("min=100&max=200")).page.rows.map((r) => r.available)).toEqual([120]);
    expect((await list("sort=balance&direction=asc")).page.rows.map((r) => r.available)).toEqual([30, 120, 540]);
    expect((await list("sort=name&direction=asc")).page.rows.map((r) => r.customerId)).toEqual([
      "9102",
      "9101",
      "9103",
    ]);
    expect((await list("active=30")).page.total).toBe(3);
    expect((await list("active=-30")).page.total).toBe(0);
    expect((await list("tier=none")).page.total).toBe(3);
    const page = (await list("page=2")).page;
    expect(page).toMatchObject({ rows: [], total: 3, page: 2, pageCount: 1 });
  });

  it("answers 400 with the reason for a malformed query", async () => {
    for (const query of ["min=abc", "min=10&max=5", "sort=height", "page=0", "active=soon"]) {
      const response = (await callRoute(
        customersRoute,
        "loader",
        adminRequest("GET", `/app/customers?${query}`),
      )) as Response;
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toBeTruthy();
    }
  });
});

describe("the customer passbook", () => {
  beforeAll(async () => {
    await installShop();
    resetAdminApi(happyAdmin);
  });

  it("lists the ledger like a bank book, newest first with the running balance, paged", async () => {
    const orders = Array.from({ length: 55 }, (_, i) => orderPayload({ customerId: 9201, total: String(1000 + i) }));
    for (const order of orders) await deliver("orders/paid", order);
    await deliver(
      "refunds/create",
      refundPayload(orders[0].id, [{ lineItemId: orders[0].line_items[0].id, subtotal: "1000" }]),
    );
    const id = await memberId(9201);
    const first = (await book(id)).passbook;
    expect(first.lines).toHaveLength(50);
    expect(first.lines[0]).toMatchObject({
      kind: "reverse",
      points: -10,
      balance: 550 - 10,
      orderName: `#${orders[0].id}`,
    });
    expect(first.lines[1]).toMatchObject({ kind: "earn", points: 10, balance: 550 });
    const second = (await book(id, `?before=${first.next}`)).passbook;
    expect(second.lines).toHaveLength(6);
    expect(second.lines.at(-1)).toMatchObject({ points: 10, balance: 10 });
    expect(second.next).toBeNull();
    expect(first.member).toMatchObject({ available: 540, customerId: "9201" });
    expect(first.lots.reduce((sum, lot) => sum + lot.remaining, 0)).toBe(540);
  });

  it("a manual adjustment needs a reason, is recorded with the staff member, and applies once", async () => {
    await deliver("orders/paid", orderPayload({ customerId: 9202, total: "10000" }));
    const id = await memberId(9202);
    const { formKey } = await book(id);

    const noReason = await act(id, { intent: "adjust", points: "50", reason: " ", key: formKey });
    expect(noReason.status).toBe(422);
    expect(await noReason.json()).toEqual({ error: expect.stringContaining("reason") });
    for (const points of ["0", "abc", "1.5", ""]) {
      expect((await act(id, { intent: "adjust", points, reason: "Goodwill", key: formKey })).status).toBe(422);
    }
    expect((await memberState(9202))?.pointsAvailable).toBe(100);

    const added = await act(
      id,
      { intent: "adjust", points: "50", reason: "Goodwill for a late parcel", key: formKey },
      "77",
    );
    expect(await added.json()).toEqual({ ok: true, applied: true });
    const again = await act(
      id,
      { intent: "adjust", points: "50", reason: "Goodwill for a late parcel", key: formKey },
      "77",
    );
    expect(await again.json()).toEqual({ ok: true, applied: false });
    expect((await memberState(9202))?.pointsAvailable).toBe(150);

    const line = (await book(id)).passbook.lines[0];
    expect(line).toMatchObject({ kind: "adjust", points: 50, balance: 150 });
    expect(line.description).toBe("Goodwill for a late parcel (by staff:77)");
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: "member.adjusted" } });
    expect(audit).toMatchObject({ actor: "staff:77", subject: "customer 9202" });

    const { formKey: second } = await book(id);
    const tooMuch = await act(id, { intent: "adjust", points: "-151", reason: "Correction", key: second });
    expect(tooMuch.status).toBe(422);
    expect(await tooMuch.json()).toEqual({ error: "cannot remove 151 points: only 150 are available" });
    const removed = await act(id, { intent: "adjust", points: "-120", reason: "Correction", key: second });
    expect(await removed.json()).toMatchObject({ applied: true });
    expect((await memberState(9202))?.pointsAvailable).toBe(30);
    await expectBalancesMatchLedger();
  });

  it("a blocked customer earns nothing and cannot redeem until unblocked", async () => {
    await deliver("orders/paid", orderPayload({ customerId: 9203, total: "10000" }));
    const id = await memberId(9203);
    expect((await act(id, { intent: "block", reason: "" })).status).toBe(422);
    expect(await (await act(id, { intent: "block", reason: "Chargeback dispute" })).json()).toEqual({ ok: true });
    expect((await book(id)).passbook.member).toMatchObject({ blockedReason: "Chargeback dispute" });

    await deliver("orders/paid", orderPayload({ customerId: 9203, total: "10000" }));
    expect((await memberState(9203))?.pointsAvailable).toBe(100);
    const order = await prisma.order.findFirstOrThrow({ where: { memberId: id, status: "skipped" } });
    expect(order.skipReason).toBe("member blocked from earning by staff");

    await act(id, { intent: "unblock" });
    await deliver("orders/paid", orderPayload({ customerId: 9203, total: "10000" }));
    expect((await memberState(9203))?.pointsAvailable).toBe(200);
    const actions = await prisma.auditLog.findMany({ where: { subject: "customer 9203" }, orderBy: { id: "asc" } });
    expect(actions.map((a) => a.action)).toEqual(["member.blocked", "member.unblocked"]);
    expect(adminAnswers).toBeDefined();
  });

  it("a member of another shop, an unknown id or a bad intent is refused", async () => {
    expect(((await book("no-such-member")) as unknown as Response).status).toBe(404);
    const response = await act("no-such-member", {
      intent: "adjust",
      points: "5",
      reason: "Test it",
      key: "k-12345678",
    });
    expect(response.status).toBe(404);
    expect((await act(await memberId(9202), { intent: "delete" })).status).toBe(400);
  });
});
