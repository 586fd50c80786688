import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { defaultProgram, type MembershipSettings } from "../../app/program/program";
import { saveProgram } from "../../app/program/programs.server";
import { joinProgram, leaveProgram, membershipStatus, MembershipRefused } from "../../app/members/membership.server";
import { customerPayload, installShop, memberState, orderPayload } from "../support/fixtures";
import { expectBalancesMatchLedger } from "../support/invariants";
import { deliver } from "../support/routes";
import { SHOP } from "../support/shopify";

async function useMembership(membership: Partial<MembershipSettings>, signupBonus = 300) {
  const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } });
  const settings = defaultProgram("JPY");
  settings.signupBonus = signupBonus;
  settings.membership = { ...settings.membership, ...membership };
  const saved = await prisma.$transaction((tx) => saveProgram(tx, shop, settings, "staff:test"));
  expect(saved).toHaveProperty("version");
}

/** A customer Shopify created (an account sign-up, a guest checkout, a POS sale), with its email's verification. */
async function createCustomer(id: number, email: string, verified = true) {
  const response = await deliver("customers/create", { ...customerPayload(id, email), verified_email: verified });
  expect(response.status).toBe(200);
}

const signupEntries = (customerId: number) =>
  prisma.ledgerEntry.findMany({ where: { member: { customerId: String(customerId) }, sourceType: "signup" } });

const join = (customerId: number, termsVersion = "2026-12") =>
  joinProgram(prisma, SHOP, String(customerId), { termsVersion, channel: "customer-account" });

describe("membership: every customer is a member (the default)", () => {
  beforeEach(async () => {
    await installShop();
    await useMembership({}, 300);
  });

  it("customers/create still enrols and pays the signup bonus, and leaving is refused", async () => {
    await createCustomer(5101, "hanako@example.com");
    expect(await memberState(5101)).toMatchObject({ pointsAvailable: 300 });
    const status = await membershipStatus(prisma, SHOP, "5101");
    expect(status).toMatchObject({ mode: "all", member: true, signupBonusPaid: true, consentedVersion: null });
    await expect(leaveProgram(prisma, SHOP, "5101", { channel: "storefront", confirm: true })).rejects.toThrow(
      MembershipRefused,
    );
  });
});

describe("membership: members join", () => {
  beforeEach(async () => {
    await installShop();
    await useMembership({ mode: "join", termsVersion: "2026-12", termsUrl: "https://shop.example/terms" }, 300);
  });

  it("a guest checkout's customers/create creates no membership and pays no bonus", async () => {
    await createCustomer(5201, "guest@example.com");
    expect(await memberState(5201)).toMatchObject({ pointsAvailable: 0, joinedAt: null });
    expect(await signupEntries(5201)).toHaveLength(0);
    expect(await membershipStatus(prisma, SHOP, "5201")).toMatchObject({
      mode: "join",
      member: false,
      termsVersion: "2026-12",
      signupBonusPaid: false,
    });
  });

  it("joining with a verified email records consent and pays the signup bonus once", async () => {
    await createCustomer(5202, "Aiko.Sato@Gmail.com");
    const status = await join(5202);
    expect(status).toMatchObject({ member: true, consentedVersion: "2026-12", signupBonusPaid: true, leftAt: null });
    expect(await memberState(5202)).toMatchObject({
      pointsAvailable: 300,
      consentTermsVersion: "2026-12",
      consentChannel: "customer-account",
      normalizedEmail: "aikosato@gmail.com",
    });
    // Joining again (a double click, a retry) pays nothing more.
    await join(5202);
    expect(await signupEntries(5202)).toHaveLength(1);
    expect(await memberState(5202)).toMatchObject({ pointsAvailable: 300 });
    const audit = await prisma.auditLog.findMany({ where: { action: "member.joined", subject: "customer 5202" } });
    expect(audit[0]).toMatchObject({ actor: "customer-account:customer 5202" });
    await expectBalancesMatchLedger();
  });

  it("joining with an unverified email joins without the bonus; it is paid on joining again once verified", async () => {
    await createCustomer(5203, "unverified@example.com", false);
    expect(await join(5203)).toMatchObject({ member: true, signupBonusPaid: false });
    expect(await memberState(5203)).toMatchObject({ pointsAvailable: 0 });
    await prisma.member.updateMany({ where: { customerId: "5203" }, data: { verifiedEmail: true } });
    expect(await join(5203)).toMatchObject({ member: true, signupBonusPaid: true });
    expect(await memberState(5203)).toMatchObject({ pointsAvailable: 300 });
  });

  it("the same person under a +alias or dotted Gmail address gets no second bonus", async () => {
    await createCustomer(5204, "kenji@gmail.com");
    await createCustomer(5205, "k.e.n.j.i+points@googlemail.com");
    await join(5204);
    expect(await join(5205)).toMatchObject({ member: true, signupBonusPaid: false });
    expect(await memberState(5205)).toMatchObject({ pointsAvailable: 0 });
    // A different person at a provider where "+" is an ordinary character is not folded in.
    await createCustomer(5206, "kenji+shop@example.co.jp");
    await createCustomer(5207, "kenji@example.co.jp");
    await join(5206);
    await join(5207);
    expect(await memberState(5207)).toMatchObject({ pointsAvailable: 300 });
    await expectBalancesMatchLedger();
  });

  it("two accounts of one person joining at the same moment get one bonus between them", async () => {
    await createCustomer(5212, "haru@gmail.com");
    await createCustomer(5213, "h.a.r.u+2@gmail.com");
    await Promise.all([join(5212), join(5213)]);
    const bonuses = (await signupEntries(5212)).length + (await signupEntries(5213)).length;
    expect(bonuses).toBe(1);
    await expectBalancesMatchLedger();
  });

  it("erasing the customer erases their normalised email and their name as the actor of joining", async () => {
    await createCustomer(5214, "kai@example.com");
    const member = await memberState(5214);
    await join(5214);
    await deliver("customers/redact", { shop_id: 1, shop_domain: SHOP, customer: { id: 5214 }, orders_to_redact: [] });
    expect(await prisma.member.findUniqueOrThrow({ where: { id: member!.id } })).toMatchObject({
      normalizedEmail: null,
      email: null,
    });
    const audit = await prisma.auditLog.findFirstOrThrow({
      where: { action: "member.joined", subject: "customer (redacted)" },
    });
    expect(audit.actor).toBe("customer-account:customer (redacted)");
  });

  it("a wrong terms version is refused and writes nothing", async () => {
    await createCustomer(5208, "yui@example.com");
    const before = await memberState(5208);
    await expect(join(5208, "2026-01")).rejects.toThrow(/version 2026-12/);
    expect(await memberState(5208)).toEqual(before);
    expect(await signupEntries(5208)).toHaveLength(0);
    expect(await prisma.auditLog.count({ where: { action: "member.joined", subject: "customer 5208" } })).toBe(0);
  });

  it("leaving asks for confirmation, keeps the balance, and rejoining pays no second bonus", async () => {
    await createCustomer(5209, "sora@example.com");
    await join(5209);
    await expect(leaveProgram(prisma, SHOP, "5209", { channel: "customer-account", confirm: false })).rejects.toThrow(
      "Your 300 points stay in your account and are yours again if you rejoin; confirm to leave.",
    );
    expect(await memberState(5209)).toMatchObject({ leftAt: null });
    const left = await leaveProgram(prisma, SHOP, "5209", { channel: "customer-account", confirm: true });
    expect(left).toMatchObject({ status: { member: false }, balance: { available: 300, forfeited: false } });
    expect(left.status.leftAt).not.toBeNull();
    expect(await prisma.auditLog.count({ where: { action: "member.left", subject: "customer 5209" } })).toBe(1);
    expect(await join(5209)).toMatchObject({ member: true, signupBonusPaid: true });
    expect(await signupEntries(5209)).toHaveLength(1);
    expect(await memberState(5209)).toMatchObject({ pointsAvailable: 300 });
    await expectBalancesMatchLedger();
  });

  it("leaving a program that forfeits points takes them out with a ledger entry", async () => {
    await useMembership({ mode: "join", termsVersion: "2026-12", onLeave: "forfeit" }, 300);
    await createCustomer(5210, "ren@example.com");
    await join(5210);
    await expect(leaveProgram(prisma, SHOP, "5210", { channel: "storefront", confirm: false })).rejects.toThrow(
      "Leaving forfeits your 300 points; confirm to leave.",
    );
    const left = await leaveProgram(prisma, SHOP, "5210", { channel: "storefront", confirm: true });
    expect(left.balance).toEqual({ available: 0, forfeited: true });
    const forfeit = await prisma.ledgerEntry.findFirstOrThrow({
      where: { member: { customerId: "5210" }, sourceType: "membership" },
    });
    expect(forfeit).toMatchObject({ kind: "adjust", points: -300, reason: "Points forfeited on leaving the program" });
    expect(await memberState(5210)).toMatchObject({ pointsAvailable: 0 });
    await expectBalancesMatchLedger();
  });

  it("a non-member's order earns nothing; a member's earns as before", async () => {
    await createCustomer(5211, "mio@example.com");
    const outsider = await deliver("orders/paid", orderPayload({ customerId: 5211, total: "5400" }));
    expect(await outsider.json()).toMatchObject({ outcome: "skipped", detail: "not a member of the program" });
    expect(await memberState(5211)).toMatchObject({ pointsAvailable: 0 });
    await join(5211);
    await deliver("orders/paid", orderPayload({ customerId: 5211, total: "5400" }));
    expect(await memberState(5211)).toMatchObject({ pointsAvailable: 300 + 54 });
    await expectBalancesMatchLedger();
  });
});
