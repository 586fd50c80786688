import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import * as proxyJoin from "../../app/routes/proxy.join";
import { defaultProgram } from "../../app/program/program";
import { saveProgram } from "../../app/program/programs.server";
import type { StorefrontSummary } from "../../app/storefront/storefront-api";
import { customerPayload, installShop, memberState } from "../support/fixtures";
import { callAction, deliver, getSummary } from "../support/routes";
import { proxyRequest, SHOP, type ProxyOptions } from "../support/shopify";

const joinRoute = { action: proxyJoin.action as (args: never) => Promise<Response> };

function postJoin(customerId: string | null, body: unknown, options: ProxyOptions = {}) {
  return callAction(proxyRequest("join", { customerId, method: "POST", body, ...options }), joinRoute);
}

async function summaryOf(customerId: string | null): Promise<StorefrontSummary> {
  const response = await getSummary({ customerId });
  expect(response.status).toBe(200);
  return (await response.json()) as StorefrontSummary;
}

describe("POST /proxy/join", () => {
  beforeEach(async () => {
    await installShop();
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    const settings = defaultProgram("JPY");
    settings.signupBonus = 200;
    settings.membership = { mode: "join", termsVersion: "3", termsUrl: "https://shop.example/terms", onLeave: "keep" };
    await prisma.$transaction((tx) => saveProgram(tx, shop, settings, "staff:test"));
  });

  it("joins the logged-in shopper with the bonus, and the summary says they are a member", async () => {
    await deliver("customers/create", { ...customerPayload(6101, "nana@example.com"), verified_email: true });
    expect((await summaryOf("6101")).membership).toEqual({
      mode: "join",
      member: false,
      termsVersion: "3",
      termsUrl: "https://shop.example/terms",
    });
    const response = await postJoin("6101", { termsVersion: "3" });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ member: true, signupBonusPaid: true, consentedVersion: "3" });
    expect(await memberState(6101)).toMatchObject({ pointsAvailable: 200, consentChannel: "storefront" });
    const summary = await summaryOf("6101");
    expect(summary.membership.member).toBe(true);
    expect(summary.member?.available).toBe(200);
  });

  it("refuses an unsigned request, an anonymous visitor and old terms, writing nothing", async () => {
    const forged = await postJoin("6102", { termsVersion: "3" }, { secret: "not-the-app-secret" });
    expect(forged.status).toBe(400);
    expect(await postJoin(null, { termsVersion: "3" })).toHaveProperty("status", 401);
    const old = await postJoin("6102", { termsVersion: "2" });
    expect(old.status).toBe(409);
    expect(await old.json()).toEqual({
      error: "The program terms are now version 3; read them and accept that version to join.",
    });
    expect(await postJoin("6102", { terms: "3" })).toHaveProperty("status", 400);
    expect(await memberState(6102)).toBeNull();
    expect((await summaryOf(null)).membership).toMatchObject({ mode: "join", member: false });
  });
});
