import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { setBirthday } from "../../app/program/bonuses.server";
import { installShop, memberState, orderPayload } from "../support/fixtures";
import { deliver } from "../support/routes";
import { OTHER_SHOP, SHOP } from "../support/shopify";

describe("privacy and lifecycle webhooks", () => {
  beforeEach(async () => {
    await installShop();
  });

  it("customers/data_request prepares an export of the member's passbook for the merchant", async () => {
    await deliver("orders/paid", orderPayload({ customerId: 5001, total: "5400" }));
    // What the shopper gave or chose in their account belongs in the export too.
    await prisma.member.updateMany({
      where: { customerId: "5001" },
      data: { birthday: "05-20", pointsNewsEmails: false },
    });
    const response = await deliver("customers/data_request", {
      shop_id: 1,
      shop_domain: SHOP,
      customer: { id: 5001, email: "customer5001@example.com" },
      orders_requested: [],
      data_request: { id: 77 },
    });
    expect(await response.json()).toMatchObject({ outcome: "recorded", detail: "export prepared" });
    const exported = await prisma.privacyRequest.findFirstOrThrow({ where: { customerId: "5001" } });
    expect(exported.export).toMatchObject({
      email: "customer5001@example.com",
      balance: { available: 54, pending: 0, debt: 0 },
      ledger: [expect.objectContaining({ kind: "earn", points: 54 })],
      rewardCodes: [],
      blocked: null,
      birthday: "05-20",
      pointsNewsEmails: false,
      membership: { leftAt: null },
    });
  });

  it("customers/redact erases name, email and the customer link but keeps the ledger totals", async () => {
    await deliver("orders/paid", orderPayload({ customerId: 5002, total: "5400" }));
    const before = await memberState(5002);
    // Staff named the customer in the audit log and an import named them by email.
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    await prisma.auditLog.create({
      data: { shopId: shop.id, actor: "staff:1", action: "member.blocked", subject: "customer 5002" },
    });
    const job = await prisma.importJob.create({
      data: {
        shopId: shop.id,
        fileName: "x.csv",
        fileHash: "h",
        totalRows: 1,
        validRows: 1,
        rejectedRows: 0,
        createdBy: "staff:1",
      },
    });
    await prisma.importRow.create({
      data: {
        jobId: job.id,
        line: 2,
        customer: "customer5002@example.com",
        memberId: before!.id,
        points: 5,
        note: "Card of Mrs Sato",
      },
    });
    // The order's "points earned" email went out (its address and subject are kept); a second waits to be sent.
    await prisma.message.updateMany({
      where: { memberId: before!.id, channel: "email" },
      data: { status: "sent", recipient: "customer5002@example.com", subject: "54 points for Mrs Sato" },
    });
    await prisma.message.create({
      data: {
        shopId: shop.id,
        memberId: before!.id,
        kind: "birthday",
        channel: "email",
        eventKey: "redact-test",
        data: {},
      },
    });
    // The shopper changed their birthday (the fraud rules keep the change, with its dates, in the audit log).
    await prisma.$transaction((tx) => setBirthday(tx, shop, "5002", "05-20"));
    await prisma.$transaction((tx) => setBirthday(tx, shop, "5002", "06-21"));
    const response = await deliver("customers/redact", {
      shop_id: 1,
      shop_domain: SHOP,
      customer: { id: 5002 },
      orders_to_redact: [],
    });
    expect(await response.json()).toMatchObject({ outcome: "applied" });
    expect(await memberState(5002)).toBeNull();
    const anonymous = await prisma.member.findUniqueOrThrow({ where: { id: before!.id } });
    expect(anonymous).toMatchObject({ email: null, firstName: null, lastName: null, pointsAvailable: 54 });
    expect(anonymous.customerId).toMatch(/^redacted:/);
    expect(anonymous.redactedAt).not.toBeNull();
    expect(await prisma.ledgerEntry.count({ where: { memberId: before!.id } })).toBe(1);
    expect(await prisma.importRow.findFirstOrThrow({ where: { jobId: job.id } })).toMatchObject({
      customer: "redacted",
      note: null,
    });
    expect(await prisma.auditLog.count({ where: { subject: "customer 5002" } })).toBe(0);
    const changes = await prisma.auditLog.findMany({ where: { action: "member.birthday", subject: before!.id } });
    expect(changes).toHaveLength(2);
    expect(JSON.stringify(changes.map((c) => [c.before, c.after, c.actor]))).not.toMatch(/05-20|06-21|5002/);
    const messages = await prisma.message.findMany({ where: { memberId: before!.id, channel: "email" } });
    expect(messages.map((m) => [m.kind, m.status, m.recipient, m.subject]).sort()).toEqual([
      ["birthday", "skipped", null, null],
      ["points_earned", "sent", null, null],
    ]);
  });

  it("shop/redact deletes everything held for that shop and nothing of another shop", async () => {
    await installShop(OTHER_SHOP);
    await deliver("orders/paid", orderPayload({ customerId: 5003, total: "5400" }), { shop: OTHER_SHOP });
    await deliver("orders/paid", orderPayload({ customerId: 5003, total: "5400" }));
    await deliver("shop/redact", { shop_id: 2, shop_domain: OTHER_SHOP }, { shop: OTHER_SHOP });
    expect(await prisma.shop.findUnique({ where: { domain: OTHER_SHOP } })).toBeNull();
    expect(await prisma.session.count({ where: { shop: OTHER_SHOP } })).toBe(0);
    expect(await prisma.member.count({ where: { shop: { domain: OTHER_SHOP } } })).toBe(0);
    expect((await memberState(5003, SHOP))?.pointsAvailable).toBe(54);
  });

  it("app/uninstalled removes the shop's sessions and marks it uninstalled, keeping its loyalty data", async () => {
    await deliver("orders/paid", orderPayload({ customerId: 5004, total: "5400" }));
    await deliver("app/uninstalled", { id: 1, name: "Test shop" });
    expect(await prisma.session.count({ where: { shop: SHOP } })).toBe(0);
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } })).uninstalledAt).not.toBeNull();
    expect((await memberState(5004))?.pointsAvailable).toBe(54);
  });

  it("app/scopes_update records the new scopes on the shop's sessions", async () => {
    await deliver("app/scopes_update", {
      id: 1,
      shop_id: "gid://shopify/Shop/1",
      previous: ["read_orders"],
      current: ["read_orders", "write_discounts"],
      updated_at: new Date().toISOString(),
    });
    expect((await prisma.session.findFirstOrThrow({ where: { shop: SHOP } })).scope).toBe(
      "read_orders,write_discounts",
    );
  });

  it("customers/create enrols the customer without points when the program has no signup bonus", async () => {
    const response = await deliver("customers/create", {
      id: 5005,
      email: "new@example.com",
      first_name: "Aiko",
      last_name: "Sato",
    });
    expect(await response.json()).toMatchObject({ outcome: "recorded" });
    expect(await memberState(5005)).toMatchObject({ email: "new@example.com", pointsAvailable: 0 });
  });

  it("customers/create awards the signup bonus once when the program has one", async () => {
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    await prisma.programVersion.create({
      data: {
        shopId: shop.id,
        version: 99,
        settings: {
          currency: "JPY",
          earnRate: { points: 1, perMinor: 100 },
          signupBonus: 200,
          pendingDays: 0,
          expiryDays: null,
        },
      },
    });
    await deliver("customers/create", { id: 5006, email: "bonus@example.com" });
    await deliver("customers/create", { id: 5006, email: "bonus@example.com" });
    expect((await memberState(5006))?.pointsAvailable).toBe(200);
    await prisma.programVersion.deleteMany({ where: { version: 99 } });
  });
});
