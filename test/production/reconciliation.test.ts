import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StorefrontSummary } from "../../app/storefront/storefront-api";
import { checkAgainstSchema } from "../support/admin-api";
import { orderPayload } from "../support/payloads";
import { embeddedAdmin, startProductionServer, type ProductionServer } from "../support/production-server";
import { proxyRequest, webhookRequest } from "../support/shopify";

const SHOP = "production-reconcile.myshopify.com";

// `npm start` on the build: an order whose orders/paid never arrived, found by "check the last N days again".
describe("reconciliation under npm start", () => {
  let server: ProductionServer;
  beforeAll(async () => {
    server = await startProductionServer(SHOP);
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
  });

  const admin = (path: string, init: RequestInit = {}) => embeddedAdmin(server, SHOP)(path, init);
  const DATA = "?_data=routes%2Fapp.webhooks";
  const balance = async (customerId: string) => {
    const response = await fetch(
      proxyRequest("summary", { shop: SHOP, secret: server.secret, baseUrl: server.baseUrl, customerId }),
    );
    return ((await response.json()) as StorefrontSummary).member?.available ?? 0;
  };

  it("recovers the missed payment once, shows it on the health page, and the late webhook is a duplicate", async () => {
    const refused = await admin(`/app/webhooks${DATA}`, { method: "POST", body: JSON.stringify({ days: 0 }) });
    expect(refused.status).toBe(422);

    expect(await balance("1301")).toBe(0);
    const checked = await admin(`/app/webhooks${DATA}`, { method: "POST", body: JSON.stringify({ days: 1 }) });
    expect(checked.status).toBe(200);
    expect(await checked.json()).toMatchObject({ checked: { ordersChecked: 1, eventsRecovered: 1 } });
    expect(await balance("1301")).toBe(54);

    const again = await admin(`/app/webhooks${DATA}`, { method: "POST", body: JSON.stringify({ days: 1 }) });
    expect(await again.json()).toMatchObject({ checked: { ordersChecked: 1, eventsRecovered: 0 } });

    const page = JSON.stringify(await (await admin(`/app/webhooks${DATA}`)).json());
    expect(page).toContain("93002");

    // Shopify's retry of the lost webhook arrives at last: nothing is paid twice.
    const late = orderPayload({ id: 93002, customerId: 1301, total: "5400" });
    const response = await fetch(
      webhookRequest("orders/paid", late, { shop: SHOP, secret: server.secret, baseUrl: server.baseUrl }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ outcome: "duplicate" });
    expect(await balance("1301")).toBe(54);
  });

  it("every Admin API call and answer fit Shopify's schema", () => {
    const calls = server.adminCalls();
    expect(calls.map((call) => call.operation)).toEqual(
      expect.arrayContaining(["TsumikiReconcileOrders", "TsumikiReconcileOrder"]),
    );
    for (const call of calls) checkAgainstSchema(call.query, call.variables, call.data);
  });
});
