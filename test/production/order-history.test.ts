import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StorefrontSummary } from "../../app/storefront/storefront-api";
import { checkAgainstSchema, checkDocument } from "../support/admin-api";
import { finishPayload } from "../support/bulk";
import { embeddedAdmin, startProductionServer, type ProductionServer } from "../support/production-server";
import { adminDocumentUrl, BROWSER_USER_AGENT, proxyRequest, webhookRequest } from "../support/shopify";

const SHOP = "production-history.myshopify.com";

// `npm start` on the build: the order history read through a bulk operation, previewed, then awarded.
describe("order history under npm start", () => {
  let server: ProductionServer;
  beforeAll(async () => {
    server = await startProductionServer(SHOP);
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
  });

  const admin = (path: string, init: RequestInit = {}) => embeddedAdmin(server, SHOP)(path, init);
  const DATA = "?_data=routes%2Fapp.history";
  type Reading = { status: string; points: number; members: number; liability: string; awardedPoints: number };
  const latest = async () =>
    ((await (await admin(`/app/history${DATA}`)).json()) as { readings: Reading[] }).readings[0];
  const until = async (done: (reading: Reading) => boolean) => {
    let reading = await latest();
    for (let tries = 0; tries < 40 && !done(reading); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      reading = await latest();
    }
    return reading;
  };
  const balance = async (customerId: string) => {
    const response = await fetch(
      proxyRequest("summary", { shop: SHOP, secret: server.secret, baseUrl: server.baseUrl, customerId }),
    );
    return ((await response.json()) as StorefrontSummary).member?.available;
  };

  it("refuses a bad month count, reads the history, previews it, and awards it on request", async () => {
    const refused = await admin(`/app/history${DATA}`, {
      method: "POST",
      body: JSON.stringify({ intent: "read", months: 0 }),
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: "months must be a whole number from 1 to 24" });

    const started = await admin(`/app/history${DATA}`, {
      method: "POST",
      body: JSON.stringify({ intent: "read", months: 6 }),
    });
    expect(await started.json()).toMatchObject({ ok: "reading" });
    const run = server.adminCalls().find((call) => call.operation === "TsumikiRunBulkQuery")!;
    const id = (run.data as { bulkOperationRunQuery: { bulkOperation: { id: string } } }).bulkOperationRunQuery
      .bulkOperation.id;
    const finish = await fetch(
      webhookRequest("bulk_operations/finish", finishPayload(id), {
        shop: SHOP,
        secret: server.secret,
        baseUrl: server.baseUrl,
      }),
    );
    expect(finish.status).toBe(200);

    const previewed = await until((reading) => reading.status === "previewed");
    expect(previewed).toMatchObject({ status: "previewed", points: 88, members: 1, liability: "¥88" });
    expect(await balance("1302")).toBe(0);

    const award = await admin(`/app/history${DATA}`, {
      method: "POST",
      body: JSON.stringify({ intent: "award", id: (await (await admin(`/app/history${DATA}`)).json()).readings[0].id }),
    });
    expect(await award.json()).toMatchObject({ ok: "awarding" });
    expect(await until((reading) => reading.status === "awarded")).toMatchObject({ awardedPoints: 88 });
    expect(await balance("1302")).toBe(88);
  });

  it("the page renders in the embedded admin, in Japanese when the admin is", async () => {
    const url = adminDocumentUrl("/app/history", {
      shop: SHOP,
      locale: "ja",
      secret: server.secret,
      apiKey: server.apiKey,
      baseUrl: server.baseUrl,
    });
    const response = await fetch(url, { headers: { "User-Agent": BROWSER_USER_AGENT } });
    const html = await response.text();
    expect(response.status).toBe(200);
    for (const words of ["注文履歴", "注文履歴を読み込む", "付与済み"]) expect(html).toContain(words);
  });

  it("every Admin API call, the bulk query inside it and each answer fit Shopify's schema", () => {
    for (const call of server.adminCalls()) {
      checkAgainstSchema(call.query, call.variables, call.data);
      if (call.operation === "TsumikiRunBulkQuery") checkDocument(String(call.variables.query));
    }
  });
});
