import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkAgainstSchema, checkDocument } from "../support/admin-api";
import { finishPayload } from "../support/bulk";
import { embeddedAdmin, startProductionServer, type ProductionServer } from "../support/production-server";
import { adminDocumentUrl, BROWSER_USER_AGENT, webhookRequest } from "../support/shopify";

const SHOP = "production-sync.myshopify.com";

// `npm start` on the build: a customer sync asked for on the sync page, finished by a signed bulk_operations/finish.
describe("the customer sync under npm start", () => {
  let server: ProductionServer;
  beforeAll(async () => {
    server = await startProductionServer(SHOP);
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
  });

  const admin = (path: string, init: RequestInit = {}) => embeddedAdmin(server, SHOP)(path, init);

  it("starts the sync, records the signed finish webhook, applies the JSONL result and shows the members", async () => {
    const started = await admin("/app/sync?_data=routes%2Fapp.sync", {
      method: "POST",
      body: JSON.stringify({ kind: "customers" }),
    });
    expect(started.status).toBe(200);
    expect(await started.json()).toMatchObject({ outcome: "started" });
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
    expect(await finish.json()).toEqual({
      outcome: "recorded",
      detail: "customers bulk operation COMPLETED, 3 objects",
    });

    // Applied after the webhook was answered: the sync page shows it once done.
    let customers: { phase: string; processed: number } | undefined;
    for (let tries = 0; tries < 40 && customers?.phase !== "synced"; tries++) {
      if (tries) await new Promise((done) => setTimeout(done, 250));
      const page = (await (await admin("/app/sync?_data=routes%2Fapp.sync")).json()) as {
        kinds: Array<{ kind: string; latest: { phase: string; processed: number } | null }>;
      };
      customers = page.kinds.find((kind) => kind.kind === "customers")?.latest ?? undefined;
    }
    expect(customers).toMatchObject({ phase: "synced", processed: 3 });

    const listed = await admin("/app/customers?_data=routes%2Fapp.customers._index&sort=name&direction=asc");
    expect(listed.status).toBe(200);
    const text = JSON.stringify(await listed.json());
    for (const name of ["Haruto", "Mei", "Sota"]) expect(text).toContain(name);
  });

  it("the sync page renders in the embedded admin, in Japanese when the admin is", async () => {
    const url = adminDocumentUrl("/app/sync", {
      shop: SHOP,
      locale: "ja",
      secret: server.secret,
      apiKey: server.apiKey,
      baseUrl: server.baseUrl,
    });
    const response = await fetch(url, { headers: { "User-Agent": BROWSER_USER_AGENT } });
    const html = await response.text();
    expect(response.status).toBe(200);
    for (const words of ["Shopifyとの同期", "顧客を今すぐ同期", "カタログを今すぐ同期", "同期済み"])
      expect(html).toContain(words);
  });

  it("every Admin API call, the bulk query inside it and each answer fit Shopify's schema", () => {
    const calls = server.adminCalls();
    expect(calls.map((call) => call.operation)).toEqual(
      expect.arrayContaining(["TsumikiRunBulkQuery", "TsumikiBulkOperation"]),
    );
    for (const call of calls) {
      checkAgainstSchema(call.query, call.variables, call.data);
      if (call.operation === "TsumikiRunBulkQuery") checkDocument(String(call.variables.query));
    }
  });
});
