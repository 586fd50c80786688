import { describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { scanShops } from "../../app/fraud/scan.server";
import { defaultProgram } from "../../app/program/program";
import { saveProgram } from "../../app/program/programs.server";
import type { Shop } from "../../app/generated/prisma/client";
import { customerPayload, installShop, memberState } from "../support/fixtures";
import { expectBalancesMatchLedger } from "../support/invariants";
import type { AddressSpec, CustomerIdentity } from "../support/payloads";
import { deliver } from "../support/routes";

/**
 * Signup farming by shared phone or shipping address: the member keeps only keyed hashes of them, and the rule
 * groups new accounts by those keys, at the bonus and in the daily scan alike.
 */

async function shopWithBonus(domain: string): Promise<Shop> {
  const shop = await installShop(domain);
  await prisma.$transaction((tx) =>
    saveProgram(tx, shop, { ...defaultProgram("JPY"), signupBonus: 100 }, "staff:test"),
  );
  return shop;
}

async function signUp(domain: string, customerId: number, email: string, identity: CustomerIdentity) {
  const response = await deliver("customers/create", customerPayload(customerId, email, identity), { shop: domain });
  expect(response.status).toBe(200);
  return (await response.json()) as { outcome: string; detail: string };
}

async function memberOf(domain: string, customerId: number) {
  const member = await memberState(customerId, domain);
  if (!member) throw new Error(`no member ${customerId}`);
  return member;
}

// Emails with nothing in common: only the phone or the address can tie these accounts together.
const EMAILS = ["aoi.tanaka@example.com", "kenji.mori@example.org", "sakura.ito@example.net"];

// One flat, written three ways: full-width digits and 丁目/番/号, half-width with dashes, the postal code with 〒.
const ONE_FLAT: AddressSpec[] = [
  { zip: "150-0041", province: "東京都", city: "渋谷区", address1: "神南１丁目２番３号", address2: "メゾン神南 101" },
  { zip: "〒1500041", province: "東京都", city: "渋谷区", address1: "神南 1-2-3", address2: "メゾン神南101" },
  { zip: "１５０-００４１", province: "東京都", city: "渋谷区", address1: "神南1‐2‐3", address2: "メゾン神南　１０１" },
];

// One mobile number, written three ways.
const ONE_PHONE = ["090-1234-5678", "+81 90 1234 5678", "０９０１２３４５６７８"];

async function expectFarmed(shop: Shop, domain: string, customerIds: number[], results: { detail: string }[]) {
  const [first, second, third] = await Promise.all(customerIds.map((c) => memberOf(domain, c)));
  expect(results.map((r) => r.detail.includes("held for review (signup_farming)"))).toEqual([false, false, true]);
  for (const m of [first, second]) expect(m).toMatchObject({ pointsAvailable: 100, pointsPending: 0 });
  expect(third).toMatchObject({ pointsAvailable: 0, pointsPending: 100 });
  const [held] = await prisma.reviewCase.findMany({ where: { shopId: shop.id } });
  expect(held).toMatchObject({
    memberId: third.id,
    rule: "signup_farming",
    caseKey: `member:${third.id}:signup_farming`,
    status: "open",
    points: 100,
  });
  const [lot] = await prisma.lot.findMany({ where: { memberId: third.id, earnEntry: { sourceType: "signup" } } });
  expect(lot).toMatchObject({ heldByCaseId: held.id, activatedAt: null, remaining: 100 });
  await expectBalancesMatchLedger();

  // The daily scan flags the first two (their bonus was spendable already) and opens no second case for the third.
  await scanShops(prisma, new Date());
  const cases = await prisma.reviewCase.findMany({ where: { shopId: shop.id, rule: "signup_farming" } });
  expect(cases.map((c) => c.memberId).sort()).toEqual([first.id, second.id, third.id].sort());
  return { first, second, third, held };
}

describe("signup farming by a shared shipping address or phone", () => {
  it("three new accounts at one address, whatever the emails: the third's bonus is held, the scan flags the rest", async () => {
    const domain = "signup-identity-address.myshopify.com";
    const shop = await shopWithBonus(domain);
    const results = [];
    for (const [i, address] of ONE_FLAT.entries()) {
      results.push(await signUp(domain, 9101 + i, EMAILS[i], { address }));
    }
    const { first, third } = await expectFarmed(shop, domain, [9101, 9102, 9103], results);
    // One key for the three spellings, and no phone key (none given).
    expect(first.addressKey).toMatch(/^[0-9a-f]{64}$/);
    expect(third.addressKey).toBe(first.addressKey);
    expect(first.phoneKey).toBeNull();
    const [held] = await prisma.reviewCase.findMany({ where: { memberId: third.id } });
    expect(held.code).toBe("fraud.signup_farming.address");
  });

  it("three new accounts with one phone written three ways: the third's bonus is held, the scan flags the rest", async () => {
    const domain = "signup-identity-phone.myshopify.com";
    const shop = await shopWithBonus(domain);
    const results = [];
    // Each at an address of their own (customerPayload numbers the street by the customer id).
    for (const [i, phone] of ONE_PHONE.entries()) results.push(await signUp(domain, 9201 + i, EMAILS[i], { phone }));
    const { first, second, third } = await expectFarmed(shop, domain, [9201, 9202, 9203], results);
    expect(new Set([first.phoneKey, second.phoneKey, third.phoneKey]).size).toBe(1);
    expect(new Set([first.addressKey, second.addressKey, third.addressKey]).size).toBe(3);
    const [held] = await prisma.reviewCase.findMany({ where: { memberId: third.id } });
    expect(held.code).toBe("fraud.signup_farming.phone");
  });

  it("a household (two accounts at one address, one phone) is not held, nor flagged by the scan", async () => {
    const domain = "signup-identity-household.myshopify.com";
    const shop = await shopWithBonus(domain);
    for (const [i, address] of ONE_FLAT.slice(0, 2).entries()) {
      const result = await signUp(domain, 9301 + i, EMAILS[i], { address, phone: ONE_PHONE[i] });
      expect(result.detail).not.toContain("held for review");
    }
    for (const c of [9301, 9302]) {
      expect(await memberOf(domain, c)).toMatchObject({ pointsAvailable: 100, pointsPending: 0 });
    }
    await scanShops(prisma, new Date());
    expect(await prisma.reviewCase.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("keeps keys, never the phone or address; customers/update follows them; redaction erases them", async () => {
    const domain = "signup-identity-privacy.myshopify.com";
    await shopWithBonus(domain);
    const address = ONE_FLAT[0];
    await signUp(domain, 9401, EMAILS[0], { address, phone: ONE_PHONE[0] });
    const member = await memberOf(domain, 9401);
    expect(member.phoneKey).toMatch(/^[0-9a-f]{64}$/);
    expect(member.addressKey).toMatch(/^[0-9a-f]{64}$/);
    expect(member.addressKey).not.toBe(member.phoneKey);

    // Nothing in the row reads back as the phone or the address, in any spelling.
    const [row] = await prisma.$queryRaw<Array<{ row: string }>>`
      SELECT row_to_json(m)::text AS row FROM "Member" m WHERE id = ${member.id}`;
    const normalised = (s: string) => s.normalize("NFKC").replace(/[\s\-‐]/g, "");
    const flat = normalised(row.row);
    for (const raw of [
      ...ONE_PHONE,
      "09012345678",
      "9012345678",
      "1234-5678",
      address.address1!,
      address.address2!,
      "神南",
      "メゾン",
      "1500041",
      "渋谷",
    ]) {
      expect(row.row).not.toContain(raw);
      expect(flat).not.toContain(normalised(raw));
    }

    // customers/update: the customer changed phone, and removed every address.
    const update = {
      ...customerPayload(9401, EMAILS[0], { phone: "080-9876-5432", address: null }),
      updated_at: new Date(Date.now() + 60_000).toISOString(),
    };
    expect((await deliver("customers/update", update, { shop: domain })).status).toBe(200);
    const updated = await memberOf(domain, 9401);
    expect(updated.phoneKey).toMatch(/^[0-9a-f]{64}$/);
    expect(updated.phoneKey).not.toBe(member.phoneKey);
    expect(updated.addressKey).toBeNull();

    // An update without the protected fields (no phone, no addresses in the payload) keeps the keys.
    const { phone: _phone, addresses: _addresses, default_address: _default, ...bare } = update;
    const later = { ...bare, updated_at: new Date(Date.now() + 120_000).toISOString() };
    expect((await deliver("customers/update", later, { shop: domain })).status).toBe(200);
    expect((await memberOf(domain, 9401)).phoneKey).toBe(updated.phoneKey);

    const response = await deliver(
      "customers/redact",
      { shop_id: 1, shop_domain: domain, customer: { id: 9401 }, orders_to_redact: [] },
      { shop: domain },
    );
    expect(await response.json()).toMatchObject({ outcome: "applied" });
    expect(await prisma.member.findUniqueOrThrow({ where: { id: member.id } })).toMatchObject({
      phoneKey: null,
      addressKey: null,
      email: null,
    });
  });
});
