import { existsSync, readFileSync } from "node:fs";
import { parse } from "smol-toml";
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { deliverFlowMessages, FLOW_TRIGGER_MUTATION, FLOW_TRIGGERS } from "../../app/notifications/flow.server";
import type { MessageKind } from "../../app/notifications/kinds";
import { FLOW_KINDS, recordMessage } from "../../app/notifications/outbox.server";
import { MAX_ATTEMPTS } from "../../app/notifications/retry";
import { defaultNotificationSettings } from "../../app/notifications/settings";
import { sampleData } from "../../app/notifications/variables";
import { adminApi, checkDocument, resetAdminApi, type AdminCall } from "../support/admin-api";
import { installShop } from "../support/fixtures";

const SHOP = "flow-triggers.myshopify.com";
let shopId: string;

async function member(customerId: number, fields: { pointsAvailable?: number; redactedAt?: Date } = {}) {
  return prisma.member.create({ data: { shopId, customerId: String(customerId), ...fields } });
}

async function flowMessage(
  memberId: string,
  kind: MessageKind,
  data: unknown,
  fields: { shopId?: string; nextAttemptAt?: Date; status?: "sending"; lockedUntil?: Date } = {},
) {
  return prisma.message.create({
    data: {
      shopId,
      memberId,
      kind,
      channel: "flow",
      eventKey: `${kind}:${memberId}:${Math.random()}`,
      data: data as never,
      nextAttemptAt: new Date(Date.now() - 1000),
      ...fields,
    },
  });
}

const accepted = () => ({ flowTriggerReceive: { userErrors: [] } });
const refused = () => ({
  flowTriggerReceive: { userErrors: [{ field: ["handle"], message: "Invalid handle 'points-earned'" }] },
});
const flowCalls = () => adminApi.calls.filter((call: AdminCall) => call.operation === "TsumikiFlowTrigger");

describe("Flow triggers", () => {
  beforeAll(async () => {
    ({ id: shopId } = await installShop(SHOP, "JPY", "Asia/Tokyo"));
  });

  it("each trigger's payload carries exactly the fields its extension declares, in keys Flow accepts", () => {
    expect(new Set(Object.keys(FLOW_TRIGGERS))).toEqual(new Set(FLOW_KINDS));
    const allowed = new Set(["boolean", "email", "single_line_text_field", "url", "number_decimal"]);
    const folders: Record<string, string> = {
      points_earned: "flow-points-earned",
      expiry_reminder: "flow-points-expiring",
      tier_changed: "flow-tier-changed",
      reward_issued: "flow-reward-issued",
    };
    for (const [kind, trigger] of Object.entries(FLOW_TRIGGERS)) {
      const toml = parse(readFileSync(`extensions/${folders[kind]}/shopify.extension.toml`, "utf8")) as {
        extensions: Array<{ type: string; handle: string; name: string }>;
        settings: { fields: Array<{ type: string; key?: string }> };
      };
      expect(toml.extensions[0]).toMatchObject({ type: "flow_trigger", handle: trigger.handle });
      expect(trigger.handle.length).toBeLessThanOrEqual(30);
      const fields = toml.settings.fields;
      expect(fields[0]).toEqual({ type: "customer_reference" });
      for (const field of fields.slice(1)) {
        expect(field.key).toMatch(/^[A-Za-z\s]+$/);
        expect(allowed).toContain(field.type);
      }
      const payload = trigger.payload({
        data: sampleData(kind as MessageKind),
        customerId: 1001,
        pointsAvailable: 1240,
        timezone: "Asia/Tokyo",
      });
      expect(Object.keys(payload)).toEqual(["customer_id", ...fields.slice(1).map((field) => field.key)]);
      for (const field of fields.slice(1)) {
        const value = payload[field.key!];
        expect(typeof value).toBe(
          field.type === "number_decimal" ? "number" : field.type === "boolean" ? "boolean" : "string",
        );
      }
    }
    checkDocument(FLOW_TRIGGER_MUTATION);
  });

  it("points earned on order #1001 fire the points-earned trigger once, for the customer, with the balance", async () => {
    const hanako = await member(1001, { pointsAvailable: 1294 });
    await prisma.$transaction((tx) =>
      recordMessage(tx, {
        shopId,
        memberId: hanako.id,
        kind: "points_earned",
        eventKey: "activate:order-1001",
        data: { points: 54, orderName: "#1001" },
      }),
    );
    resetAdminApi(accepted);
    const now = new Date(Date.now() + 1000);
    expect(await deliverFlowMessages(prisma, now)).toEqual({ sent: 1, failed: 0, skipped: 0 });
    expect(flowCalls()).toHaveLength(1);
    expect(flowCalls()[0]).toMatchObject({
      shop: SHOP,
      variables: {
        handle: "points-earned",
        payload: { customer_id: 1001, "Points earned": 54, "Points balance": 1294, "Order name": "#1001" },
      },
    });
    const sent = await prisma.message.findFirstOrThrow({ where: { memberId: hanako.id, channel: "flow" } });
    expect(sent).toMatchObject({ status: "sent", sentAt: now, attempts: 0, lastError: null, providerId: null });
    // The email of the same event is the email sender's: this one leaves it alone.
    expect(await prisma.message.findFirstOrThrow({ where: { memberId: hanako.id, channel: "email" } })).toMatchObject({
      status: "pending",
    });

    expect(await deliverFlowMessages(prisma, new Date(now.getTime() + 3_600_000))).toEqual({
      sent: 0,
      failed: 0,
      skipped: 0,
    });
    expect(flowCalls()).toHaveLength(1);
  });

  it("a reminder, a tier change and a reward carry their facts, dates as the shop-local last day", async () => {
    const ren = await member(1002, { pointsAvailable: 800 });
    // Lots expire at the first instant after their last day: 1 April 00:00 in Tokyo ends 31 March.
    await flowMessage(ren.id, "expiry_reminder", { points: 500, expiresAt: "2027-03-31T15:00:00.000Z", days: 7 });
    await flowMessage(ren.id, "tier_changed", { from: null, to: "Gold", direction: "up" });
    await flowMessage(ren.id, "reward_issued", {
      name: "¥500 off",
      code: "TSU-7K3M-Q9XA",
      points: 500,
      expiresAt: "2027-01-10T05:00:00.000Z",
    });
    resetAdminApi(accepted);
    expect(await deliverFlowMessages(prisma)).toEqual({ sent: 3, failed: 0, skipped: 0 });
    const byHandle = Object.fromEntries(flowCalls().map((call) => [call.variables.handle, call.variables.payload]));
    expect(byHandle).toEqual({
      "points-expiring": {
        customer_id: 1002,
        "Points expiring": 500,
        "Expiry date": "2027-03-31",
        "Days left": 7,
        "Points balance": 800,
      },
      "tier-changed": { customer_id: 1002, "Previous tier": "", "New tier": "Gold", "Moved up": true },
      "reward-issued": {
        customer_id: 1002,
        "Reward name": "¥500 off",
        "Discount code": "TSU-7K3M-Q9XA",
        "Points spent": 500,
        "Code expiry date": "2027-01-10",
      },
    });
  });

  it("a trigger Shopify refuses is tried again after 1, 5, 30 minutes… and marked failed after the last attempt", async () => {
    const aoi = await member(1003);
    const message = await flowMessage(aoi.id, "tier_changed", { from: "Gold", to: "Silver", direction: "down" });
    resetAdminApi(refused);
    let now = new Date();
    const waits: number[] = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const result = await deliverFlowMessages(prisma, now);
      const row = await prisma.message.findUniqueOrThrow({ where: { id: message.id } });
      expect(row.attempts).toBe(attempt);
      expect(row.lastError).toBe("Invalid handle 'points-earned'");
      if (attempt < MAX_ATTEMPTS) {
        expect(result).toEqual({ sent: 0, failed: 0, skipped: 0 });
        expect(row.status).toBe("pending");
        waits.push((row.nextAttemptAt.getTime() - now.getTime()) / 60_000);
        // Not due before its time.
        expect(await deliverFlowMessages(prisma, new Date(row.nextAttemptAt.getTime() - 1000))).toEqual({
          sent: 0,
          failed: 0,
          skipped: 0,
        });
        now = row.nextAttemptAt;
      } else {
        expect(result).toEqual({ sent: 0, failed: 1, skipped: 0 });
        expect(row.status).toBe("failed");
      }
    }
    expect(waits).toEqual([1, 5, 30, 120, 360, 720, 1440]);
    expect(flowCalls()).toHaveLength(MAX_ATTEMPTS);
  });

  it("a Shopify outage is retried like a refusal", async () => {
    const mio = await member(1004);
    const message = await flowMessage(mio.id, "points_earned", { points: 10 });
    resetAdminApi(accepted);
    adminApi.failWith = 503;
    const now = new Date();
    expect(await deliverFlowMessages(prisma, now)).toEqual({ sent: 0, failed: 0, skipped: 0 });
    const row = await prisma.message.findUniqueOrThrow({ where: { id: message.id } });
    expect(row).toMatchObject({ status: "pending", attempts: 1, nextAttemptAt: new Date(now.getTime() + 60_000) });
    expect(row.lastError).toMatch(/Shopify Admin API call failed/);
    adminApi.failWith = null;
    expect(await deliverFlowMessages(prisma, row.nextAttemptAt)).toEqual({ sent: 1, failed: 0, skipped: 0 });
  });

  it("with Flow turned off, a recorded trigger is skipped and Shopify is not called", async () => {
    const sora = await member(1005);
    const message = await flowMessage(sora.id, "points_earned", { points: 54 });
    await prisma.notificationSettings.create({
      data: { shopId, settings: { ...defaultNotificationSettings(), flow: false } },
    });
    resetAdminApi(accepted);
    expect(await deliverFlowMessages(prisma)).toEqual({ sent: 0, failed: 0, skipped: 1 });
    expect(flowCalls()).toHaveLength(0);
    expect(await prisma.message.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({
      status: "skipped",
      lastError: "Flow triggers are turned off",
    });
    await prisma.notificationSettings.delete({ where: { shopId } });
  });

  it("a member whose data was erased is skipped", async () => {
    const erased = await member(1006, { redactedAt: new Date() });
    const message = await flowMessage(erased.id, "points_earned", { points: 54 });
    resetAdminApi(accepted);
    expect(await deliverFlowMessages(prisma)).toEqual({ sent: 0, failed: 0, skipped: 1 });
    expect(flowCalls()).toHaveLength(0);
    expect((await prisma.message.findUniqueOrThrow({ where: { id: message.id } })).status).toBe("skipped");
  });

  it("a shop without an offline session, or uninstalled, is skipped", async () => {
    const orphan = await prisma.shop.create({ data: { domain: "flow-no-session.myshopify.com" } });
    const gone = await prisma.shop.create({ data: { domain: "flow-gone.myshopify.com", uninstalledAt: new Date() } });
    const [a, b] = await Promise.all(
      [orphan, gone].map((shop) => prisma.member.create({ data: { shopId: shop.id, customerId: "2001" } })),
    );
    await flowMessage(a.id, "points_earned", { points: 1 }, { shopId: orphan.id });
    await flowMessage(a.id, "points_earned", { points: 2 }, { shopId: orphan.id });
    await flowMessage(b.id, "points_earned", { points: 3 }, { shopId: gone.id });
    resetAdminApi(accepted);
    expect(await deliverFlowMessages(prisma)).toEqual({ sent: 0, failed: 0, skipped: 3 });
    expect(flowCalls()).toHaveLength(0);
    const reasons = await prisma.message.findMany({
      where: { shopId: { in: [orphan.id, gone.id] } },
      select: { lastError: true },
    });
    expect(reasons.map((row) => row.lastError).sort()).toEqual([
      "the app is not installed on the shop",
      "the shop has no offline session",
      "the shop has no offline session",
    ]);
  });

  it("a message claimed by a sender that died is delivered once its claim expires, not before", async () => {
    const kai = await member(1007);
    const now = new Date();
    const message = await flowMessage(
      kai.id,
      "points_earned",
      { points: 5 },
      { status: "sending", lockedUntil: new Date(now.getTime() + 60_000) },
    );
    resetAdminApi(accepted);
    expect(await deliverFlowMessages(prisma, now)).toEqual({ sent: 0, failed: 0, skipped: 0 });
    expect(await deliverFlowMessages(prisma, new Date(now.getTime() + 61_000))).toEqual({
      sent: 1,
      failed: 0,
      skipped: 0,
    });
    expect(flowCalls()).toHaveLength(1);
    expect((await prisma.message.findUniqueOrThrow({ where: { id: message.id } })).status).toBe("sent");
  });

  it("two senders running at once fire each trigger once", async () => {
    const members = await Promise.all([1008, 1009, 1010, 1011].map((id) => member(id)));
    for (const m of members) await flowMessage(m.id, "points_earned", { points: 1 });
    resetAdminApi(accepted);
    const [first, second] = await Promise.all([deliverFlowMessages(prisma), deliverFlowMessages(prisma)]);
    expect(first.sent + second.sent).toBe(4);
    expect(new Set(flowCalls().map((call) => JSON.stringify(call.variables.payload))).size).toBe(4);
    expect(flowCalls()).toHaveLength(4);
  });
});

describe("Flow actions' extensions", () => {
  it("each action declares the handle, runtime URL and fields its route reads", async () => {
    const { FLOW_ACTIONS } = await import("../../app/flow-actions/actions.server");
    for (const spec of Object.values(FLOW_ACTIONS)) {
      const toml = parse(readFileSync(`extensions/flow-action-${spec.handle}/shopify.extension.toml`, "utf8")) as {
        extensions: Array<{ type: string; handle: string; name: string; description: string; runtime_url: string }>;
        settings: { fields: Array<{ type: string; key?: string; name?: string; required?: boolean }> };
      };
      expect(toml.extensions).toHaveLength(1);
      const [extension] = toml.extensions;
      expect(extension).toMatchObject({ type: "flow_action", handle: spec.handle });
      expect(extension.handle).toMatch(/^[a-z0-9-]{1,30}$/);
      expect(extension.name.length).toBeGreaterThan(0);
      const url = new URL(extension.runtime_url);
      expect(url.protocol).toBe("https:");
      expect(url.pathname).toBe(`/flow/actions/${spec.handle}`);
      expect(existsSync(`app/routes/flow.actions.${spec.handle}.tsx`)).toBe(true);
      const [customer, ...fields] = toml.settings.fields;
      expect(customer).toEqual({ type: "customer_reference", required: true });
      const allowed = new Set([
        "single_line_text_field",
        "multi_line_text_field",
        "number_decimal",
        "boolean",
        "email",
      ]);
      for (const field of fields) {
        expect(allowed).toContain(field.type);
        expect(field).toMatchObject({ required: true });
        expect(field.name?.length).toBeGreaterThan(0);
      }
      // Flow sends the customer reference as customer_id and every other field under its key: what the schema reads.
      expect(["customer_id", ...fields.map((field) => field.key)]).toEqual(Object.keys(spec.schema.shape));
    }
  });
});
