import { beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { DEFAULT_FRAUD_CONFIG, type FraudConfig } from "../../app/fraud/settings.server";
import { DEFAULT_THRESHOLDS, type Thresholds } from "../../app/fraud/thresholds";
import * as detectionRoute from "../../app/routes/app.detection";
import { installShop, memberState } from "../support/fixtures";
import { expectBalancesMatchLedger } from "../support/invariants";
import { pay, quietShop } from "../support/fraud-traffic";
import { callRoute } from "../support/routes";
import { adminRequest } from "../support/shopify";

const SHOP = "detection-settings.myshopify.com";
const OWNER = "42"; // the test interceptor's token exchange says 42 owns every shop
const CLERK = "7";
const HOUR = 3_600_000;

type Saved = { ok?: boolean; config?: FraudConfig; error?: string; fields?: Array<{ path: string; message: string }> };

const settingsPage = async (query = "", domain = SHOP) =>
  (await callRoute(detectionRoute, "loader", adminRequest("GET", `/app/detection${query}`, undefined, domain))) as {
    locale: string;
    config: FraudConfig;
    defaults: FraudConfig;
  };
const save = (body: unknown, { domain = SHOP, staff = OWNER, query = "" } = {}) =>
  callRoute(
    detectionRoute,
    "action",
    adminRequest("POST", `/app/detection${query}`, body, domain, staff),
  ) as Promise<Response>;

/** The defaults with some thresholds changed. */
function thresholds(change: (t: Thresholds) => void): Thresholds {
  const copy = structuredClone(DEFAULT_THRESHOLDS);
  change(copy);
  return copy;
}

/** What saving writes: the shop's settings row and its audit trail. */
async function written(domain = SHOP) {
  const shop = await prisma.shop.findUniqueOrThrow({ where: { domain } });
  return {
    settings: (await prisma.fraudSettings.findUnique({ where: { shopId: shop.id } }))?.settings ?? null,
    audit: await prisma.auditLog.count({ where: { shopId: shop.id, action: "fraud.settings" } }),
  };
}

describe("the detection settings page, through the real route", () => {
  beforeAll(async () => {
    await installShop(SHOP);
  });

  it("shows the defaults until the merchant changes anything, in the admin's language", async () => {
    const page = await settingsPage();
    expect(page).toEqual({ locale: "en", config: DEFAULT_FRAUD_CONFIG, defaults: DEFAULT_FRAUD_CONFIG });
    expect(page.config.thresholds.blockAtScore).toBeNull();
    expect((await settingsPage("?locale=ja")).locale).toBe("ja");
    expect(await written()).toEqual({ settings: null, audit: 0 });
  });

  it("saves the merchant's thresholds, audits the change, and shows them next time", async () => {
    const changed = thresholds((t) => {
      t.holdAtScore = 1.5;
      t.blockAtScore = 4;
      t.velocity.minZ = 5;
      t.velocity.minOrdersDay = 6;
      t.birthday.enabled = false;
    });
    const response = await save({ enabled: true, thresholds: changed });
    expect(response.status).toBe(200);
    expect((await response.json()) as Saved).toEqual({ ok: true, config: { enabled: true, thresholds: changed } });

    expect(await written()).toEqual({ settings: { enabled: true, thresholds: changed }, audit: 1 });
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: "fraud.settings" } });
    expect(audit).toMatchObject({
      actor: `staff:${OWNER}`,
      before: DEFAULT_FRAUD_CONFIG,
      after: { enabled: true, thresholds: changed },
    });
    expect((await settingsPage()).config).toEqual({ enabled: true, thresholds: changed });
  });

  it("refuses what is out of bounds or malformed with the reason for each field, and writes nothing", async () => {
    const before = await written();
    const refused = async (body: unknown, status: number, query = "") => {
      const response = await save(body, { query });
      expect(response.status).toBe(status);
      return (await response.json()) as Saved;
    };

    // A threshold of 0 would switch velocity off by accident: switching off is the rule's checkbox.
    expect(await refused({ enabled: true, thresholds: thresholds((t) => void (t.velocity.minZ = 0)) }, 422)).toEqual({
      error: "The settings were not saved: correct the fields marked below.",
      fields: [{ path: "thresholds.velocity.minZ", message: "Enter 1 or more." }],
    });
    // Blocking below the hold level would block members whose points are not even held.
    const blockBelowHold = thresholds((t) => {
      t.holdAtScore = 2;
      t.blockAtScore = 1.5;
    });
    expect((await refused({ enabled: true, thresholds: blockBelowHold }, 422)).fields).toEqual([
      {
        path: "thresholds.blockAtScore",
        message: "Set the automatic block level at or above the hold level, or leave it empty.",
      },
    ]);
    // Text where a number goes, a fraction where a count goes, a window past a year, and a non-boolean switch.
    const typos = thresholds((t) => {
      (t.velocity as Record<string, unknown>).minOrdersDay = "four";
      t.signupFarming.minMembers = 2.5;
      t.birthday.windowDays = 400;
    });
    expect((await refused({ enabled: "yes", thresholds: typos }, 422)).fields).toEqual([
      { path: "enabled", message: "Choose on or off." },
      { path: "thresholds.velocity.minOrdersDay", message: "Enter a number." },
      { path: "thresholds.signupFarming.minMembers", message: "Enter a whole number." },
      { path: "thresholds.birthday.windowDays", message: "Enter 366 or less." },
    ]);
    // In the admin's language.
    expect(
      await refused({ enabled: true, thresholds: thresholds((t) => void (t.velocity.minZ = 0)) }, 422, "?locale=ja"),
    ).toEqual({
      error: "設定は保存されていません。下の印のある項目を直してください。",
      fields: [{ path: "thresholds.velocity.minZ", message: "1以上を入力してください。" }],
    });
    expect((await refused({ enabled: true }, 422)).fields).toEqual([
      { path: "thresholds", message: "This value is not accepted." },
    ]);

    // Not JSON at all, or not an object.
    const signed = adminRequest("POST", "/app/detection", undefined, SHOP);
    const garbled = new Request(signed.url, { method: "POST", headers: signed.headers, body: '{"enabled": tru' });
    const malformed = (await callRoute(detectionRoute, "action", garbled)) as Response;
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: expect.stringMatching(/could not be read/) });
    expect((await refused([1, 2], 400)).fields).toHaveLength(1);

    expect(await written()).toEqual(before);
  });

  it("a staff member without the program permission gets 403, and nothing is written", async () => {
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    const before = await written();
    await prisma.staffPolicy.create({ data: { shopId: shop.id, defaultGrants: ["adjust", "review"], savedBy: "x" } });
    try {
      const response = await save({ enabled: false, thresholds: DEFAULT_THRESHOLDS }, { staff: CLERK });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ code: "forbidden", permission: "program" });
      expect(await written()).toEqual(before);
    } finally {
      await prisma.staffPolicy.delete({ where: { shopId: shop.id } });
    }
  });
});

/** Twelve ¥5,400 orders in an hour from one member: what velocity is for. */
async function burst(domain: string, customerId: number) {
  const start = Date.now() - HOUR;
  for (let i = 0; i < 12; i++) await pay(domain, customerId, 5400, new Date(start + i * 5 * 60_000));
  const member = await memberState(customerId, domain);
  if (!member) throw new Error(`no member ${customerId}`);
  return { member, cases: await prisma.reviewCase.findMany({ where: { memberId: member.id } }) };
}

describe("what the settings change on the earn path", () => {
  it("with velocity switched off on the page, a burst of orders earns spendable points; with the defaults it is held", async () => {
    const [off, defaults] = ["detection-velocity-off.myshopify.com", "detection-velocity-on.myshopify.com"];
    await quietShop(off);
    await quietShop(defaults);
    const response = await save(
      { enabled: true, thresholds: thresholds((t) => void (t.velocity.enabled = false)) },
      { domain: off },
    );
    expect(response.status).toBe(200);

    const unchecked = await burst(off, 9001);
    expect(unchecked.member).toMatchObject({ pointsAvailable: 12 * 54, pointsPending: 0 });
    expect(unchecked.cases).toEqual([]);

    const checked = await burst(defaults, 9001);
    expect(checked.member.pointsAvailable + checked.member.pointsPending).toBe(12 * 54);
    expect(checked.member.pointsPending).toBeGreaterThan(0);
    expect(checked.cases.length).toBeGreaterThan(0);
    expect(checked.cases.every((c) => c.rule === "velocity" && c.status === "open")).toBe(true);
    await expectBalancesMatchLedger();
  });
});
