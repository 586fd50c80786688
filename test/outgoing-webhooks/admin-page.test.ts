import { beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import * as page from "../../app/routes/app.integrations.webhooks";
import { installShop, orderPayload } from "../support/fixtures";
import { callRoute, deliver } from "../support/routes";
import { adminRequest } from "../support/shopify";
import { deliveriesOf, pageAction, subscribe } from "./helpers";

const SHOP = "webhooks-admin.myshopify.com";
const CLERK = "7";

type Refusal = { error: string; fields?: Array<{ path: string; message: string }> };
type PageData = Awaited<ReturnType<typeof page.loader>>;

const load = async (query = "", staff?: string) =>
  callRoute(page, "loader", adminRequest("GET", `/app/integrations/webhooks${query}`, undefined, SHOP, staff));

describe("the outgoing webhooks page, through the real route", () => {
  beforeAll(async () => {
    await installShop(SHOP);
  });

  it("refuses what is not an https URL or names no known event, with 422 and the reason per field", async () => {
    const cases: Array<{ body: Record<string, unknown>; fields: Record<string, string> }> = [
      {
        body: { url: "http://example.com/hooks", events: ["points.earned"] },
        fields: { url: "The URL must start with https://." },
      },
      {
        body: { url: "", events: [] },
        fields: { url: "Enter the endpoint URL.", events: "Choose at least one event." },
      },
      {
        body: { url: "https://user:pw@example.com/", events: ["points.earned"] },
        fields: { url: "Enter a valid URL, without a user name or password." },
      },
      {
        body: { url: "https://example.com/", events: ["order.created"] },
        fields: { events: "One of the events is not known." },
      },
      // The server's own network is not a merchant's to call (the cloud metadata service, a database, localhost).
      ...[
        "https://169.254.169.254/latest/meta-data",
        "https://10.0.0.5/hooks",
        "https://[::1]/",
        "https://db.internal/",
      ].map((url) => ({
        body: { url, events: ["points.earned"] },
        fields: { url: "The URL must be on the public internet: not this server, a private network or a local name." },
      })),
    ];
    for (const { body, fields } of cases) {
      const response = await pageAction({ intent: "create", ...body }, SHOP);
      expect(response.status).toBe(422);
      const answer = (await response.json()) as Refusal;
      expect(Object.fromEntries(answer.fields!.map((f) => [f.path, f.message]))).toEqual(fields);
    }
    // In the admin's language.
    const ja = await callRoute(
      page,
      "action",
      adminRequest(
        "POST",
        "/app/integrations/webhooks?locale=ja",
        { intent: "create", url: "ftp://x", events: [] },
        SHOP,
      ),
    );
    expect(((await (ja as Response).json()) as Refusal).fields).toContainEqual({
      path: "events",
      message: "イベントを1つ以上選んでください。",
    });
    expect((await pageAction({ intent: "nonsense" }, SHOP)).status).toBe(400);
    expect(await prisma.webhookSubscription.count()).toBe(0);
  });

  it("creates a subscription, shows its secret once, lists it without the secret, and disables it", async () => {
    const created = await subscribe(SHOP, "https://hooks.example.com/tsumiki", ["points.earned", "member.joined"]);
    expect(created.secret).toMatch(/^whsec_[\w-]{43}$/);
    const data = (await load()) as PageData;
    expect(data.subscriptions).toHaveLength(1);
    expect(data.subscriptions[0]).toMatchObject({
      id: created.id,
      url: "https://hooks.example.com/tsumiki",
      events: ["points.earned", "member.joined"],
      createdBy: "staff:42",
      disabledAt: null,
      deliveries: [],
    });
    expect(JSON.stringify(data)).not.toContain(created.secret);
    expect(await prisma.auditLog.count({ where: { action: "webhook_subscription.created" } })).toBe(1);

    expect((await deliver("orders/paid", orderPayload({ customerId: 9501 }), { shop: SHOP })).status).toBe(200);
    expect(await deliveriesOf(created.id)).toHaveLength(1);
    const listed = (await load()) as PageData;
    expect(listed.subscriptions[0].deliveries).toMatchObject([{ event: "points.earned", status: "pending" }]);

    expect((await pageAction({ intent: "disable", id: created.id }, SHOP)).status).toBe(200);
    expect(
      (await prisma.webhookSubscription.findUniqueOrThrow({ where: { id: created.id } })).disabledAt,
    ).not.toBeNull();
    // A disabled subscription records nothing more.
    expect((await deliver("orders/paid", orderPayload({ customerId: 9502 }), { shop: SHOP })).status).toBe(200);
    expect(await deliveriesOf(created.id)).toHaveLength(1);

    expect((await pageAction({ intent: "delete", id: created.id }, SHOP)).status).toBe(200);
    expect(await prisma.webhookSubscription.count({ where: { id: created.id } })).toBe(0);
    expect((await pageAction({ intent: "delete", id: created.id }, SHOP)).status).toBe(404);
  });

  it("a staff member without the program permission gets 403, and nothing is written", async () => {
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    await prisma.staffPolicy.create({ data: { shopId: shop.id, defaultGrants: ["adjust", "review"], savedBy: "x" } });
    try {
      const before = await prisma.webhookSubscription.count();
      const response = await pageAction(
        { intent: "create", url: "https://hooks.example.com/", events: ["points.earned"] },
        SHOP,
        CLERK,
      );
      expect(response.status).toBe(403);
      expect(await prisma.webhookSubscription.count()).toBe(before);
      expect(((await load("", CLERK)) as Response).status).toBe(403);
    } finally {
      await prisma.staffPolicy.delete({ where: { shopId: shop.id } });
    }
  });
});
