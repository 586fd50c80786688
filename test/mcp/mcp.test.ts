import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import prisma from "../../app/db.server";
import en from "../../app/notifications/locales/en.json";
import ja from "../../app/notifications/locales/ja.json";
import { installShop } from "../support/fixtures";
import { orderPayload, uniqueId } from "../support/payloads";
import { deliver } from "../support/routes";
import { OTHER_SHOP, proxyRequest, SHOP } from "../support/shopify";
import { SHOPPER_MCP_PER_MINUTE } from "../../app/api/rate-limiter.server";
import { startTestSmtp } from "../support/smtp";
import { expectBalancesMatchLedger } from "../support/invariants";
import { apiKey, callTool, listToolsThroughProxy, mcpRequest, shopperClient, staffClient } from "./support";

let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
let readKey: { key: string; prefix: string };
let writeKey: { key: string; prefix: string };
let otherShopKey: { key: string; prefix: string };
let staff: Client;
const hanako = uniqueId();
const taro = uniqueId();
const stranger = uniqueId();
const orderId = uniqueId();

const audits = (actor: string) => prisma.auditLog.findMany({ where: { actor, action: { startsWith: "mcp." } } });

beforeAll(async () => {
  smtp = await startTestSmtp();
  // The mailer the app builds from its environment, pointed at the test's SMTP server.
  process.env.SMTP_URL = smtp.url;
  process.env.MAIL_FROM = "points@tsumiki.test";
  const shop = await installShop(SHOP);
  const other = await installShop(OTHER_SHOP);
  readKey = await apiKey(shop.id, ["read"]);
  writeKey = await apiKey(shop.id, ["read", "write"]);
  otherShopKey = await apiKey(other.id, ["read", "write"]);
  expect((await deliver("orders/paid", orderPayload({ id: orderId, customerId: hanako, total: "5400" }))).status).toBe(
    200,
  );
  expect((await deliver("orders/paid", orderPayload({ customerId: taro, total: "12000" }))).status).toBe(200);
  expect(
    (await deliver("orders/paid", orderPayload({ customerId: stranger, total: "3000" }), { shop: OTHER_SHOP })).status,
  ).toBe(200);
  staff = await staffClient(writeKey.key);
});

afterAll(async () => {
  await staff?.close();
  globalThis.tsumikiMailer?.transport.close();
  globalThis.tsumikiMailer = undefined;
  delete process.env.SMTP_URL;
  await smtp.close();
});

describe("a staff assistant over MCP", () => {
  it("balance of customer X, then email the statement: one email with the month's passbook lines", async () => {
    const { tools } = await staff.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      "adjust_points",
      "explain_order_points",
      "find_member",
      "get_balance",
      "get_passbook",
      "program_summary",
      "send_statement",
    ]);
    // Described in English and Japanese, with an input schema.
    for (const tool of tools) {
      expect(tool.description).toMatch(/[a-z]{3}/);
      expect(tool.description).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
      expect(tool.inputSchema.type).toBe("object");
    }

    const found = await callTool(staff, "find_member", { query: String(hanako) });
    expect(found.isError).toBe(false);
    expect(found.data.members).toEqual([
      expect.objectContaining({ customerId: String(hanako), email: `customer${hanako}@example.com`, available: 54 }),
    ]);
    const balance = await callTool(staff, "get_balance", { customer_id: `gid://shopify/Customer/${hanako}` });
    expect(balance.data).toMatchObject({ customerId: String(hanako), name: "Yamada Hanako", available: 54 });

    const sent = await callTool(staff, "send_statement", { customer_id: String(hanako) });
    expect(sent.isError).toBe(false);
    expect(sent.data).toMatchObject({ status: "sent", recipient: `customer${hanako}@example.com` });

    const statements = smtp.received.filter(
      (mail) =>
        mail.envelopeTo.includes(`customer${hanako}@example.com`) &&
        /ご依頼分|as requested/.test(mail.parsed.subject ?? ""),
    );
    expect(statements).toHaveLength(1);
    const text = statements[0].parsed.text ?? "";
    // The order's line: how it was earned, and its points.
    expect(text).toMatch(new RegExp(`(${ja.entry.earn}|${en.entry.earn})`));
    expect(text).toContain("+54");

    // Asked again at once (an agent retrying), the same statement is not mailed twice.
    const again = await callTool(staff, "send_statement", { customer_id: String(hanako) });
    expect(again.data.status).toBe("already_requested");
    expect(smtp.received.filter((mail) => /ご依頼分|as requested/.test(mail.parsed.subject ?? "")).length).toBe(1);
  });

  it("finds members by email and by name, shows the passbook and explains an order's points", async () => {
    const byEmail = await callTool(staff, "find_member", { query: `customer${taro}@example.com` });
    expect((byEmail.data.members as Array<{ customerId: string }>).map((m) => m.customerId)).toEqual([String(taro)]);
    const byName = await callTool(staff, "find_member", { query: "hanako yamada", limit: 20 });
    expect((byName.data.members as Array<{ customerId: string }>).map((m) => m.customerId)).toContain(String(hanako));

    const book = await callTool(staff, "get_passbook", { customer_id: String(hanako) });
    expect(book.data.lines).toEqual([expect.objectContaining({ kind: "earn", points: 54, balance: 54 })]);

    const order = await callTool(staff, "explain_order_points", { order_id: String(orderId) });
    expect(order.data).toMatchObject({ customerId: String(hanako), pointsEarned: 54, status: "awarded" });
    const explanation = (order.data.calculation as { explanation: { en: string[]; ja: string[] } }).explanation;
    expect(explanation.en.at(-1)).toContain("54 points in all");
    expect(explanation.ja.at(-1)).toContain("54ポイント");

    const program = await callTool(staff, "program_summary");
    expect(program.data).toMatchObject({ currency: "JPY", earnRate: { points: 1, perMinor: 100 } });
  });

  it("adjust_points applies only when confirmed, and once however often the confirmation is sent", async () => {
    const before = await prisma.member.findFirstOrThrow({ where: { customerId: String(taro) } });
    const args = { customer_id: String(taro), points: 500, reason: "Apology for a late delivery" };
    const asked = await callTool(staff, "adjust_points", args);
    expect(asked.isError).toBe(false);
    expect(asked.data).toMatchObject({
      status: "confirmation_required",
      summary: { points: 500, availableNow: before.pointsAvailable, availableAfter: before.pointsAvailable + 500 },
    });
    // Nothing changed.
    expect(await prisma.ledgerEntry.count({ where: { memberId: before.id, kind: "adjust" } })).toBe(0);

    const confirmation = asked.data.confirmation as string;
    // The token confirms these arguments only.
    const other = await callTool(staff, "adjust_points", { ...args, points: 5000, confirmation });
    expect(other.isError).toBe(true);
    expect(await prisma.ledgerEntry.count({ where: { memberId: before.id, kind: "adjust" } })).toBe(0);

    const applied = await callTool(staff, "adjust_points", { ...args, confirmation });
    expect(applied.data).toMatchObject({ status: "applied", available: before.pointsAvailable + 500 });
    const twice = await callTool(staff, "adjust_points", { ...args, confirmation });
    expect(twice.data).toMatchObject({ status: "already_applied", available: before.pointsAvailable + 500 });

    const entries = await prisma.ledgerEntry.findMany({ where: { memberId: before.id, kind: "adjust" } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ points: 500, sourceId: `api:${writeKey.prefix}` });
    expect(entries[0].reason).toContain("Apology for a late delivery");
    await expectBalancesMatchLedger();
  });

  it("a read key reads, but adjust_points is refused and writes nothing", async () => {
    const reader = await staffClient(readKey.key);
    expect((await callTool(reader, "get_balance", { customer_id: String(taro) })).isError).toBe(false);
    const refused = await callTool(reader, "adjust_points", { customer_id: String(taro), points: 100, reason: "try" });
    expect(refused.isError).toBe(true);
    expect(refused.data.error).toMatch(/write/);
    const member = await prisma.member.findFirstOrThrow({ where: { customerId: String(taro) } });
    expect(await prisma.ledgerEntry.count({ where: { memberId: member.id, sourceId: `api:${readKey.prefix}` } })).toBe(
      0,
    );
    await reader.close();
  });

  it("a wrong or missing key is 401 before any MCP message is read", async () => {
    const init = {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    };
    const wrong = await mcpRequest({ ...init, key: `tsumiki_${"x".repeat(40)}` });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("WWW-Authenticate")).toMatch(/^Bearer/);
    expect((await mcpRequest(init)).status).toBe(401);
    await expect(staffClient(`tsumiki_${"y".repeat(40)}`)).rejects.toMatchObject({ code: 401 });
  });

  it("another shop's key does not find this shop's members, nor this shop's key theirs", async () => {
    const outsider = await staffClient(otherShopKey.key);
    expect((await callTool(outsider, "get_balance", { customer_id: String(hanako) })).isError).toBe(true);
    expect((await callTool(outsider, "find_member", { query: String(hanako) })).data.members).toEqual([]);
    expect((await callTool(outsider, "send_statement", { customer_id: String(hanako) })).isError).toBe(true);
    expect((await callTool(outsider, "get_balance", { customer_id: String(stranger) })).isError).toBe(false);
    expect((await callTool(staff, "get_balance", { customer_id: String(stranger) })).isError).toBe(true);
    expect((await callTool(staff, "explain_order_points", { order_id: "999999999" })).isError).toBe(true);
    await outsider.close();
  });

  it("a key over its rate limit gets 429 with Retry-After, the limit it shares with the REST API", async () => {
    const limited = await apiKey((await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } })).id, ["read"]);
    await prisma.apiKey.updateMany({ where: { prefix: limited.prefix }, data: { rateLimitPerMinute: 2 } });
    const list = {
      method: "POST",
      key: limited.key,
      headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    };
    for (let i = 0; i < 2; i++) expect((await mcpRequest(list)).status).toBe(200);
    const refused = await mcpRequest(list);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(((await refused.json()) as { detail: string }).detail).toContain("2 requests a minute");
  });

  it("answers GET and DELETE with 405: the server is stateless", async () => {
    expect((await mcpRequest({ method: "GET", key: readKey.key })).status).toBe(405);
    expect((await mcpRequest({ method: "DELETE", key: readKey.key })).status).toBe(405);
  });
});

describe("a shopper's assistant through the app proxy", () => {
  it("sees only the logged-in shopper's own points, orders and statement", async () => {
    const shopper = await shopperClient(String(hanako));
    const { tools } = await shopper.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      "explain_order_points",
      "get_balance",
      "get_passbook",
      "program_summary",
      "send_my_statement",
    ]);
    // No tool takes a customer id.
    for (const tool of tools) expect(Object.keys(tool.inputSchema.properties ?? {})).not.toContain("customer_id");

    expect((await callTool(shopper, "get_balance")).data).toMatchObject({ customerId: String(hanako), available: 54 });
    const book = await callTool(shopper, "get_passbook", { limit: 5 });
    expect(book.data.lines).toEqual([expect.objectContaining({ kind: "earn", points: 54 })]);
    expect((await callTool(shopper, "explain_order_points", { order_id: String(orderId) })).data).toMatchObject({
      pointsEarned: 54,
    });

    // Naming another customer is refused, and so is another customer's order.
    const named = await callTool(shopper, "get_balance", { customer_id: String(taro) });
    expect(named.isError).toBe(true);
    expect(JSON.stringify(named.data)).not.toContain(`customer${taro}`);
    const taroOrder = await prisma.order.findFirstOrThrow({
      where: { memberId: (await prisma.member.findFirstOrThrow({ where: { customerId: String(taro) } })).id },
    });
    expect((await callTool(shopper, "explain_order_points", { order_id: taroOrder.orderId })).isError).toBe(true);

    // No write tool.
    expect((await callTool(shopper, "adjust_points", { points: 100, reason: "please" })).isError).toBe(true);
    await shopper.close();
  });

  it("emails the shopper their own statement", async () => {
    const shopper = await shopperClient(String(taro));
    const sent = await callTool(shopper, "send_my_statement");
    expect(sent.data).toMatchObject({ status: "sent", recipient: `customer${taro}@example.com` });
    const mails = smtp.received.filter(
      (mail) =>
        mail.envelopeTo.includes(`customer${taro}@example.com`) &&
        /ご依頼分|as requested/.test(mail.parsed.subject ?? ""),
    );
    expect(mails).toHaveLength(1);
    // The order's points and the adjustment, both this month.
    expect(mails[0].parsed.text).toContain("+120");
    expect(mails[0].parsed.text).toContain("+500");
    await shopper.close();
  });

  it("a visitor who is not logged in, or a request without the proxy's signature, gets nothing", async () => {
    await expect(shopperClient(null)).rejects.toMatchObject({ code: 401 });
    const unsigned = await listToolsThroughProxy(
      `https://tsumiki.test/proxy/mcp?shop=${SHOP}&logged_in_customer_id=${hanako}`,
    );
    expect(unsigned.status).toBe(400);
  });
});

describe("a shopper's assistant asking too often", () => {
  it("gets 429 with Retry-After after its per-customer limit, and another shopper is not slowed", async () => {
    const ask = (customerId: string) => listToolsThroughProxy(proxyRequest("mcp", { customerId }).url);
    const chatty = String(uniqueId());
    const statuses = [];
    for (let i = 0; i < SHOPPER_MCP_PER_MINUTE; i++) statuses.push((await ask(chatty)).status);
    expect(statuses).toEqual(Array(SHOPPER_MCP_PER_MINUTE).fill(200));
    const refused = await ask(chatty);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect((await ask(String(uniqueId()))).status).toBe(200);
  });
});

describe("the audit log", () => {
  it("has every tool call, by the key or the shopper, about the member", async () => {
    const byWriter = await audits(`api:${writeKey.prefix}`);
    expect(byWriter.map((row) => row.action)).toEqual(
      expect.arrayContaining([
        "mcp.find_member",
        "mcp.get_balance",
        "mcp.send_statement",
        "mcp.get_passbook",
        "mcp.explain_order_points",
        "mcp.program_summary",
        "mcp.adjust_points",
      ]),
    );
    // find_member ×3, get_balance ×2, send_statement ×2, get_passbook, explain ×2, program_summary, adjust ×4.
    expect(byWriter).toHaveLength(15);
    expect(byWriter.filter((row) => row.action === "mcp.get_balance")[0].subject).toBe(`customer ${hanako}`);
    // The confirmation token is not kept.
    expect(JSON.stringify(byWriter.map((row) => row.after))).not.toMatch(/"confirmation"/);

    const byReader = await audits(`api:${readKey.prefix}`);
    expect(byReader.map((row) => [row.action, (row.after as { outcome: string }).outcome]).sort()).toEqual([
      ["mcp.adjust_points", "refused"],
      ["mcp.get_balance", "answered"],
    ]);

    const byShopper = await audits(`storefront:customer ${hanako}`);
    // get_balance ×2 (one refused for naming a customer), get_passbook, explain ×2, adjust_points (no such tool).
    expect(byShopper).toHaveLength(6);
    expect(byShopper.every((row) => row.subject === `customer ${hanako}`)).toBe(true);
    expect(
      byShopper
        .filter((row) => (row.after as { outcome: string }).outcome === "refused")
        .map((row) => row.action)
        .sort(),
    ).toEqual(["mcp.adjust_points", "mcp.explain_order_points", "mcp.get_balance"]);
  });
});
