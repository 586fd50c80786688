import { beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import * as download from "../../app/routes/app.privacy.$id.$format";
import * as privacyPage from "../../app/routes/app.privacy._index";
import { parseCsv } from "../../app/shared/csv";
import { installShop, orderPayload } from "../support/fixtures";
import { callRoute, deliver } from "../support/routes";
import { adminRequest, OTHER_SHOP, SHOP } from "../support/shopify";

async function requestData(customerId: number, shop = SHOP) {
  const response = await deliver(
    "customers/data_request",
    {
      shop_id: 1,
      shop_domain: shop,
      customer: { id: customerId, email: `customer${customerId}@example.com` },
      orders_requested: [],
      data_request: { id: customerId },
    },
    { shop },
  );
  expect(response.status).toBe(200);
  return prisma.privacyRequest.findFirstOrThrow({ where: { shopDomain: shop, customerId: String(customerId) } });
}

const get = (id: string, format: string, shop = SHOP) =>
  callRoute(download, "loader", adminRequest("GET", `/app/privacy/${id}/${format}`, undefined, shop), {
    id,
    format,
  }) as Promise<Response>;

describe("privacy data requests: the merchant downloads what to send the customer", () => {
  beforeAll(async () => {
    await installShop();
    await installShop(OTHER_SHOP);
    const order = orderPayload({ customerId: 6101, total: "5400" });
    order.customer = { ...order.customer!, first_name: "花子", last_name: "山田" };
    await deliver("orders/paid", order);
  });

  it("downloads the export as JSON, with the passbook and balance, and records the download in the audit log", async () => {
    const request = await requestData(6101);
    const response = await get(request.id, "json");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toMatch(
      /^attachment; filename="tsumiki-data-request-6101-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    expect(await response.json()).toMatchObject({
      customerId: "6101",
      firstName: "花子",
      balance: { available: 54, pending: 0, debt: 0 },
      ledger: [expect.objectContaining({ kind: "earn", points: 54 })],
    });
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: "privacy.downloaded.json" } });
    expect(audit).toMatchObject({ actor: "staff:42", subject: "customer 6101" });
  });

  it("downloads the same export as a CSV a spreadsheet opens: UTF-8 with a BOM, one line per fact", async () => {
    const request = await requestData(6101);
    const response = await get(request.id, "csv");
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(new TextDecoder().decode(bytes)).map((row) => row.fields);
    expect(rows[0]).toEqual(["section", "date", "kind", "points", "detail"]);
    expect(rows).toContainEqual(["profile", "", "first_name", "", "花子"]);
    expect(rows).toContainEqual(["balance", "", "available", "54", ""]);
    expect(rows.filter((row) => row[0] === "ledger").map((row) => [row[2], row[3]])).toEqual([["earn", "54"]]);
  });

  it("a customer the app holds nothing about still gets an answer saying so", async () => {
    const request = await requestData(6199);
    const response = await get(request.id, "json");
    expect(await response.json()).toEqual({ customerId: "6199", held: "no loyalty data is held for this customer" });
  });

  it("another shop's request, an unknown id or another format is 404 and downloads nothing", async () => {
    const elsewhere = await requestData(6102, OTHER_SHOP);
    expect((await get(elsewhere.id, "json")).status).toBe(404);
    expect((await get("no-such-request", "json")).status).toBe(404);
    expect((await get(elsewhere.id, "xml", OTHER_SHOP)).status).toBe(404);
    expect(await prisma.auditLog.count({ where: { subject: "customer 6102" } })).toBe(0);
  });

  it("the page lists requests with their due date; marking one as sent is recorded once, with the staff member", async () => {
    const request = await requestData(6103);
    const listed = (await callRoute(privacyPage, "loader", adminRequest("GET", "/app/privacy"))) as {
      requests: Array<{ id: string; customerId: string; receivedAt: string; dueAt: string; answeredAt: string | null }>;
    };
    const line = listed.requests.find((r) => r.id === request.id)!;
    expect(new Date(line.dueAt).getTime() - new Date(line.receivedAt).getTime()).toBe(30 * 86_400_000);
    expect(line.answeredAt).toBeNull();
    const answer = () =>
      callRoute(
        privacyPage,
        "action",
        adminRequest("POST", "/app/privacy", { intent: "answered", id: request.id }),
      ) as Promise<Response>;
    expect(await answer().then((r) => r.json())).toMatchObject({ ok: true, alreadyAnswered: false });
    expect(await answer().then((r) => r.json())).toMatchObject({ ok: true, alreadyAnswered: true });
    expect(await prisma.auditLog.count({ where: { action: "privacy.answered", subject: "customer 6103" } })).toBe(1);
    const after = (await callRoute(privacyPage, "loader", adminRequest("GET", "/app/privacy"))) as typeof listed;
    expect(after.requests.at(-1)?.id).toBe(request.id);
    const bad = (await callRoute(
      privacyPage,
      "action",
      adminRequest("POST", "/app/privacy", { intent: "x" }),
    )) as Response;
    expect(bad.status).toBe(400);
    const foreign = (await callRoute(
      privacyPage,
      "action",
      adminRequest("POST", "/app/privacy", { intent: "answered", id: "nope" }),
    )) as Response;
    expect(foreign.status).toBe(404);
  });
});
