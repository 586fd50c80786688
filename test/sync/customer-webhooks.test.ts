import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { startCustomerSync } from "../../app/sync/customers.server";
import { backgroundApplies } from "../../app/sync/bulk-results.server";
import { adminApi, happyAdmin, resetAdminApi } from "../support/admin-api";
import { bulkShopify, customerLine, finishPayload, jsonl } from "../support/bulk";
import { installShop, memberState } from "../support/fixtures";
import { deliver } from "../support/routes";

const SHOP = "customer-webhooks.myshopify.com";

/** customers/update as Shopify sends it at 2026-07: no tags, no marketing consent (topics of their own since 2025-01). */
const update = (id: number, updatedAt: string, fields: Record<string, unknown> = {}) => ({
  id,
  email: `c${id}@example.jp`,
  first_name: "Hanako",
  last_name: "Yamada",
  state: "enabled",
  verified_email: true,
  created_at: "2026-01-01T09:00:00+09:00",
  updated_at: updatedAt,
  ...fields,
});

describe("customers/update and customers/create keep a member current", () => {
  beforeAll(async () => {
    await installShop(SHOP);
  });
  beforeEach(() => resetAdminApi(happyAdmin));

  it("customers/update sets name, email, state and verified email, and creates the member when new", async () => {
    const response = await deliver("customers/update", update(6001, "2026-11-02T10:00:00+09:00"), { shop: SHOP });
    expect(await response.json()).toEqual({ outcome: "applied", detail: "member for customer 6001 updated" });
    expect(await memberState(6001, SHOP)).toMatchObject({
      email: "c6001@example.jp",
      firstName: "Hanako",
      customerState: "ENABLED",
      verifiedEmail: true,
      shopifyUpdatedAt: new Date("2026-11-02T01:00:00Z"),
      pointsAvailable: 0,
    });
    await deliver(
      "customers/update",
      update(6001, "2026-11-03T10:00:00+09:00", { first_name: "Hana", state: "disabled", verified_email: false }),
      { shop: SHOP },
    );
    expect(await memberState(6001, SHOP)).toMatchObject({
      firstName: "Hana",
      customerState: "DISABLED",
      verifiedEmail: false,
    });
  });

  it("a delivery older than what the member reflects changes nothing (Shopify delivers out of order)", async () => {
    await deliver("customers/update", update(6002, "2026-11-05T12:00:00Z", { last_name: "Newer" }), { shop: SHOP });
    const late = await deliver("customers/update", update(6002, "2026-11-05T11:59:59Z", { last_name: "Older" }), {
      shop: SHOP,
    });
    expect(await late.json()).toEqual({
      outcome: "skipped",
      detail: "older than the member's profile (updated 2026-11-05T12:00:00.000Z)",
    });
    expect((await memberState(6002, SHOP))?.lastName).toBe("Newer");
  });

  it("tags and marketing consent, where a payload carries them, are kept; a payload without them keeps the member's", async () => {
    await deliver(
      "customers/update",
      update(6003, "2026-11-06T00:00:00Z", { tags: "VIP, Kyoto", email_marketing_consent: { state: "subscribed" } }),
      { shop: SHOP },
    );
    expect(await memberState(6003, SHOP)).toMatchObject({ tags: ["VIP", "Kyoto"], emailMarketingState: "SUBSCRIBED" });
    await deliver("customers/update", update(6003, "2026-11-07T00:00:00Z", { first_name: "Aoi" }), { shop: SHOP });
    expect(await memberState(6003, SHOP)).toMatchObject({
      firstName: "Aoi",
      tags: ["VIP", "Kyoto"],
      emailMarketingState: "SUBSCRIBED",
    });
  });

  it("a bulk snapshot older than a webhook does not undo the webhook, and a newer one applies", async () => {
    await deliver("customers/update", update(6004, "2026-11-10T00:00:00Z", { first_name: "FromWebhook" }), {
      shop: SHOP,
    });
    const shopify = bulkShopify();
    resetAdminApi(shopify.responder);
    const sync = async (body: string) => {
      await startCustomerSync(prisma, SHOP);
      const id = shopify.latest("customers");
      shopify.complete(id, body);
      await deliver("bulk_operations/finish", finishPayload(id), { shop: SHOP });
      await backgroundApplies();
    };
    await sync(jsonl([customerLine(6004, { firstName: "Snapshot", updatedAt: "2026-11-09T00:00:00Z" })]));
    expect((await memberState(6004, SHOP))?.firstName).toBe("FromWebhook");
    await sync(jsonl([customerLine(6004, { firstName: "Later", updatedAt: "2026-11-11T00:00:00Z" })]));
    expect((await memberState(6004, SHOP))?.firstName).toBe("Later");
  });

  it("customers/create fills the same fields as customers/update", async () => {
    await deliver(
      "customers/create",
      update(6005, "2026-11-12T00:00:00Z", { state: "invited", verified_email: false }),
      { shop: SHOP },
    );
    expect(await memberState(6005, SHOP)).toMatchObject({
      email: "c6005@example.jp",
      customerState: "INVITED",
      verifiedEmail: false,
      shopifyUpdatedAt: new Date("2026-11-12T00:00:00Z"),
    });
  });

  it("a customers/update for a redacted member is skipped and gives nothing back", async () => {
    await prisma.member.create({
      data: { shop: { connect: { domain: SHOP } }, customerId: "6006", redactedAt: new Date() },
    });
    const response = await deliver("customers/update", update(6006, "2026-11-13T00:00:00Z"), { shop: SHOP });
    expect(await response.json()).toEqual({ outcome: "skipped", detail: "customer 6006 was redacted" });
    expect(await memberState(6006, SHOP)).toMatchObject({ email: null, firstName: null });
    expect(adminApi.calls).toEqual([]);
  });
});

describe("a member's tags and email marketing consent follow their own topics", () => {
  beforeAll(async () => {
    await installShop(SHOP);
  });
  beforeEach(() => resetAdminApi(happyAdmin));

  const tags = (topic: "customer.tags_added" | "customer.tags_removed", id: number, list: string[]) =>
    deliver(
      topic,
      { customerId: `gid://shopify/Customer/${id}`, tags: list, occurredAt: new Date().toISOString() },
      {
        shop: SHOP,
      },
    );

  it("customer.tags_added and customer.tags_removed add and remove tags, once each, for the earn rules", async () => {
    await deliver("customers/update", update(6101, "2026-11-02T10:00:00+09:00"), { shop: SHOP });
    expect(await (await tags("customer.tags_added", 6101, ["VIP", "kyoto"])).json()).toEqual({
      outcome: "applied",
      detail: "added VIP, kyoto",
    });
    await tags("customer.tags_added", 6101, ["VIP"]);
    expect((await memberState(6101, SHOP))?.tags).toEqual(["VIP", "kyoto"]);
    await tags("customer.tags_removed", 6101, ["kyoto", "never-had"]);
    expect((await memberState(6101, SHOP))?.tags).toEqual(["VIP"]);
    expect(await (await tags("customer.tags_added", 6199, ["VIP"])).json()).toEqual({
      outcome: "skipped",
      detail: "no member for customer 6199",
    });
    const malformed = await deliver("customer.tags_added", { customerId: "6101", tags: ["x"] }, { shop: SHOP });
    expect(malformed.status).toBe(400);
    expect((await memberState(6101, SHOP))?.tags).toEqual(["VIP"]);
  });

  it("customers_email_marketing_consent/update sets the member's consent as Shopify's enum names it", async () => {
    await deliver("customers/update", update(6102, "2026-11-02T10:00:00+09:00"), { shop: SHOP });
    const response = await deliver(
      "customers_email_marketing_consent/update",
      {
        customer_id: 6102,
        email_address: "c6102@example.jp",
        email_marketing_consent: { state: "subscribed", opt_in_level: "single_opt_in", consent_updated_at: null },
      },
      { shop: SHOP },
    );
    expect(await response.json()).toEqual({ outcome: "applied", detail: "email marketing consent SUBSCRIBED" });
    expect(await memberState(6102, SHOP)).toMatchObject({ emailMarketingState: "SUBSCRIBED" });
  });
});
