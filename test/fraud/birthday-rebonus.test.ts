import { beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { decideCase } from "../../app/fraud/review.server";
import { saveFraudSettings } from "../../app/fraud/settings.server";
import { DEFAULT_THRESHOLDS } from "../../app/fraud/thresholds";
import { activateDueLots } from "../../app/ledger/lot-schedule.server";
import { awardBirthdays, setBirthday } from "../../app/program/bonuses.server";
import { defaultProgram } from "../../app/program/program";
import * as birthdayRoute from "../../app/routes/proxy.birthday";
import { findInstalledShop } from "../../app/shops/shops.server";
import { installShop, memberState } from "../support/fixtures";
import { expectBalancesMatchLedger } from "../support/invariants";
import { proxyRequest } from "../support/shopify";

// Both shops are in Asia/Tokyo: 03:00 UTC is noon there, on the same calendar day.
const SHOP = "birthday-rebonus-test.myshopify.com";
const OFF_SHOP = "birthday-detection-off.myshopify.com";
const DAY = 86_400_000;
const at = (iso: string) => new Date(iso);

async function birthday(domain: string, customerId: string, value: string, when: Date) {
  await prisma.$transaction(async (tx) => {
    const shop = await findInstalledShop(tx, domain);
    await setBirthday(tx, shop!, customerId, value, { now: when });
  });
}

const member = async (customerId: string, domain = SHOP) => (await memberState(customerId, domain))!;
const birthdayMessages = (eventKey: string) => prisma.message.count({ where: { kind: "birthday", eventKey } });

async function postBirthday(customerId: string, value: string): Promise<Response> {
  const signed = proxyRequest("birthday", { shop: SHOP, customerId });
  const request = new Request(signed.url, { method: "POST", body: JSON.stringify({ birthday: value }) });
  return birthdayRoute.action({ request, params: {}, context: {} } as never);
}

describe("a birthday changed to collect the bonus again", () => {
  beforeAll(async () => {
    for (const domain of [SHOP, OFF_SHOP]) {
      const shop = await installShop(domain);
      await prisma.programVersion.create({
        data: { shopId: shop.id, version: 2, settings: { ...defaultProgram("JPY"), birthdayBonus: 300 } as never },
      });
    }
    const off = await prisma.shop.findUniqueOrThrow({ where: { domain: OFF_SHOP } });
    await prisma.$transaction((tx) =>
      saveFraudSettings(tx, off.id, { enabled: false, thresholds: DEFAULT_THRESHOLDS }, "staff:42"),
    );
  });

  it("a Dec 31 birthday moved to Jan 1 earns the next day's bonus held for review; approving makes it spendable", async () => {
    await birthday(SHOP, "31001", "12-31", at("2024-06-01T03:00:00Z"));
    await birthday(SHOP, "31002", "12-31", at("2024-06-01T03:00:00Z"));
    await awardBirthdays(prisma, at("2024-12-31T03:00:00Z"));
    const first = await member("31001");
    expect(first).toMatchObject({ pointsAvailable: 300, pointsPending: 0 });
    expect(await birthdayMessages(`birthday:${first.id}:2024`)).toBe(1);

    // The same evening (Tokyo) the birthday becomes 1 January; the next day is "the birthday" in a new year.
    await birthday(SHOP, "31001", "01-01", at("2024-12-31T10:00:00Z"));
    const jan1 = at("2025-01-01T03:00:00Z");
    expect(await awardBirthdays(prisma, jan1)).toBe(1);
    const key = `birthday:${first.id}:2025`;
    expect(await member("31001")).toMatchObject({ pointsAvailable: 300, pointsPending: 300 });
    const held = await prisma.reviewCase.findFirstOrThrow({ where: { caseKey: key } });
    expect(held).toMatchObject({
      memberId: first.id,
      rule: "birthday_rebonus",
      code: "fraud.birthday_rebonus.changed_after_bonus",
      status: "open",
      points: 300,
    });
    const entry = await prisma.ledgerEntry.findFirstOrThrow({ where: { idempotencyKey: key } });
    const lot = await prisma.lot.findFirstOrThrow({ where: { earnEntryId: entry.id } });
    expect(lot).toMatchObject({ activatedAt: null, heldByCaseId: held.id, remaining: 300 });
    expect(await birthdayMessages(key)).toBe(0);

    // A rerun of the job earns nothing more and opens no second case; the activation job leaves the held lot alone.
    expect(await awardBirthdays(prisma, jan1)).toBe(0);
    expect(await prisma.reviewCase.count({ where: { memberId: first.id } })).toBe(1);
    await activateDueLots(prisma, new Date(jan1.getTime() + 30 * DAY));
    expect(await member("31001")).toMatchObject({ pointsAvailable: 300, pointsPending: 300 });
    await expectBalancesMatchLedger();

    const decidedAt = new Date(jan1.getTime() + 2 * DAY);
    await prisma.$transaction((tx) =>
      decideCase(tx, {
        shopId: held.shopId,
        caseId: held.id,
        decision: "approve",
        actor: "staff:42",
        reason: null,
        now: decidedAt,
      }),
    );
    expect(await member("31001")).toMatchObject({ pointsAvailable: 600, pointsPending: 0 });
    expect(await prisma.lot.findUniqueOrThrow({ where: { id: lot.id } })).toMatchObject({
      activatedAt: decidedAt,
      heldByCaseId: null,
    });
    expect((await prisma.reviewCase.findUniqueOrThrow({ where: { id: held.id } })).status).toBe("approved");
    // Approved, the bonus is greeted as an unheld one would have been, once.
    expect(await birthdayMessages(held.caseKey)).toBe(1);
    await expectBalancesMatchLedger();
  });

  it("a member who never changed their birthday gets next year's bonus as usual", async () => {
    await awardBirthdays(prisma, at("2025-12-31T03:00:00Z"));
    const ordinary = await member("31002");
    expect(ordinary).toMatchObject({ pointsAvailable: 600, pointsPending: 0 });
    expect(await prisma.reviewCase.count({ where: { memberId: ordinary.id } })).toBe(0);
    expect(await birthdayMessages(`birthday:${ordinary.id}:2025`)).toBe(1);
    await expectBalancesMatchLedger();
  });

  it("setting a birthday for the first time and getting the first bonus is not flagged", async () => {
    await birthday(SHOP, "31003", "03-10", at("2025-03-01T03:00:00Z"));
    await awardBirthdays(prisma, at("2025-03-10T03:00:00Z"));
    const newcomer = await member("31003");
    expect(newcomer).toMatchObject({ pointsAvailable: 300, pointsPending: 0 });
    expect(await prisma.reviewCase.count({ where: { memberId: newcomer.id } })).toBe(0);
    expect(await birthdayMessages(`birthday:${newcomer.id}:2025`)).toBe(1);
  });

  it("each actual change of a birthday is in the audit log, with before and after; the same value again is not", async () => {
    const moved = await member("31001");
    const rows = await prisma.auditLog.findMany({
      where: { action: "member.birthday", subject: moved.id },
      orderBy: { createdAt: "asc" },
    });
    expect(rows.map((r) => ({ actor: r.actor, before: r.before, after: r.after, at: r.createdAt }))).toEqual([
      {
        actor: "storefront:customer 31001",
        before: { birthday: null },
        after: { birthday: "12-31" },
        at: at("2024-06-01T03:00:00Z"),
      },
      {
        actor: "storefront:customer 31001",
        before: { birthday: "12-31" },
        after: { birthday: "01-01" },
        at: at("2024-12-31T10:00:00Z"),
      },
    ]);

    // Through the storefront's app proxy: set, set the same again, change.
    expect((await postBirthday("31004", "05-05")).status).toBe(200);
    expect((await postBirthday("31004", "05-05")).status).toBe(200);
    expect((await postBirthday("31004", "05-06")).status).toBe(200);
    const shopper = await member("31004");
    const changes = await prisma.auditLog.findMany({
      where: { action: "member.birthday", subject: shopper.id },
      orderBy: { id: "asc" },
    });
    expect(changes.map((r) => [r.before, r.after])).toEqual([
      [{ birthday: null }, { birthday: "05-05" }],
      [{ birthday: "05-05" }, { birthday: "05-06" }],
    ]);
  });

  it("with detection switched off, the same move earns the bonus spendable, unheld", async () => {
    await birthday(OFF_SHOP, "32001", "12-31", at("2025-06-01T03:00:00Z"));
    await awardBirthdays(prisma, at("2025-12-31T03:00:00Z"));
    await birthday(OFF_SHOP, "32001", "01-01", at("2025-12-31T10:00:00Z"));
    await awardBirthdays(prisma, at("2026-01-01T03:00:00Z"));
    const mover = await member("32001", OFF_SHOP);
    expect(mover).toMatchObject({ pointsAvailable: 600, pointsPending: 0 });
    expect(await prisma.reviewCase.count({ where: { memberId: mover.id } })).toBe(0);
    expect(await birthdayMessages(`birthday:${mover.id}:2026`)).toBe(1);
    // The change is recorded all the same.
    expect(await prisma.auditLog.count({ where: { action: "member.birthday", subject: mover.id } })).toBe(2);
    await expectBalancesMatchLedger();
  });
});
