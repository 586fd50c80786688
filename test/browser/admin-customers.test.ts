import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { desktopContext, hasChromium, launchChromium, saveScreenshot } from "../support/browser";
import { startLocalServer, type LocalServer } from "../support/local-server";
import { orderPayload } from "../support/payloads";
import { webhookRequest } from "../support/shopify";

/**
 * Until the page has hydrated (a cold dev server may reload it once) clicks do nothing: repeat `act` until
 * `done` shows, reloading a first load that never hydrates.
 */
async function until(page: Page, act: () => Promise<unknown>, done: () => Promise<boolean>, timeout = 180_000) {
  let attempts = 0;
  await expect
    .poll(
      async () => {
        if (await done()) return true;
        if (++attempts % 15 === 0) await page.reload().catch(() => undefined);
        await act().catch(() => undefined);
        return done();
      },
      { timeout, interval: 1000 },
    )
    .toBe(true);
}

// The merchant's daily tools in local mode, through /local/admin (the demo shop's staff).
describe.skipIf(!hasChromium())("the customers pages and import in a real browser (local mode)", () => {
  let server: LocalServer;

  beforeAll(async () => {
    server = await startLocalServer();
    const options = { shop: "tsumiki-demo.myshopify.com", secret: server.secret, baseUrl: server.baseUrl };
    for (const [customerId, last] of [
      [2001, "Yamada"],
      [2002, "Suzuki"],
    ] as const) {
      const order = orderPayload({ customerId, total: "12000" });
      order.customer = { ...order.customer!, last_name: last };
      expect((await fetch(webhookRequest("orders/paid", order, options))).status).toBe(200);
    }
  }, 120_000);

  afterAll(() => server?.stop());

  it("searches a customer, opens the passbook, adjusts with a reason, and dry-runs a CSV import", async () => {
    const browser = await launchChromium();
    try {
      const page = await (await desktopContext(browser)).newPage();
      // The dashboard first: figures from the ledger and polaris-viz charts drawn after hydration.
      await page.goto(`${server.baseUrl}/local/admin?path=/app`);
      await page.getByText("Points issued and redeemed by day").waitFor({ timeout: 150_000 });
      await until(
        page,
        () => page.waitForTimeout(500),
        async () => (await page.locator("svg text", { hasText: "¥" }).count()) > 0,
      );
      await saveScreenshot(page, "admin-dashboard");

      await page.goto(`${server.baseUrl}/local/admin?path=/app/customers`);
      await page.getByText("Suzuki Hanako").waitFor({ timeout: 150_000 });

      const search = page.getByLabel("Search by name, email or customer id");
      await until(
        page,
        async () => {
          await search.fill("yamada", { timeout: 5_000 });
          await search.press("Enter", { timeout: 5_000 });
          await page.waitForURL(/q=yamada/, { timeout: 5_000 });
        },
        async () =>
          (await page.getByText("1 customers").isVisible()) && !(await page.getByText("Suzuki Hanako").isVisible()),
      );
      await saveScreenshot(page, "admin-customers-search");

      await page.getByText("Yamada Hanako").click();
      await page.getByRole("heading", { name: "Passbook" }).waitFor({ timeout: 60_000 });
      await page.getByLabel("Points (negative to remove)").fill("25");
      await page.getByLabel("Reason (shown in the passbook)").fill("Goodwill for a late parcel");
      await page.getByRole("button", { name: "Apply adjustment" }).click();
      await page.getByText("Adjustment applied.").waitFor({ timeout: 30_000 });
      await page.getByText("Goodwill for a late parcel (by staff:1)").waitFor();
      await expect.poll(() => page.getByText("145", { exact: true }).count()).toBeGreaterThan(0); // 120 + 25
      await saveScreenshot(page, "admin-passbook");

      await page.goto(`${server.baseUrl}/local/admin?path=/app/import`);
      const fileInput = page.locator('input[type="file"]');
      await fileInput.waitFor({ state: "attached", timeout: 120_000 });
      await until(
        page,
        () =>
          fileInput.setInputFiles({
            name: "paper-cards.csv",
            mimeType: "text/csv",
            buffer: Buffer.from("customer_id,points,note\n2001,300,Stamp card\n2002,-5,\n9999,10,\n"),
          }),
        () => page.getByText("Dry run: paper-cards.csv").isVisible(),
        120_000,
      );
      await page.getByText("3 rows: 1 will be imported (300 points), 2 rejected.").waitFor();
      await page.getByText("negative balance (-5): balances to import are 0 or more").waitFor();
      await page.getByText("no customer 9999 in this shop: not among its Shopify customers").waitFor();
      await saveScreenshot(page, "admin-import-dry-run");
    } finally {
      await browser.close();
    }
  }, 420_000);

  it("defines a staff action and awards it on the bonuses page, then answers a data request in Japanese", async () => {
    const browser = await launchChromium();
    try {
      const page = await (await desktopContext(browser)).newPage();
      await page.goto(`${server.baseUrl}/local/admin?path=/app/bonuses`);
      await page.getByText("Define an action below first.").waitFor({ timeout: 150_000 });
      await until(
        page,
        () => page.getByRole("button", { name: "Add action" }).click(),
        async () => (await page.getByRole("textbox", { name: "Name" }).count()) > 0,
      );
      await page.getByRole("textbox", { name: "ID", exact: true }).fill("review");
      await page.getByRole("textbox", { name: "Name" }).fill("Wrote a review");
      await page.getByRole("button", { name: "Save actions" }).click();
      await page.getByText("Actions saved as a new program version.").waitFor({ timeout: 30_000 });
      await page.getByRole("textbox", { name: "Shopify customer ID" }).fill("2001");
      await page.getByRole("button", { name: "Award", exact: true }).click();
      await page.getByText("Awarded 100 points.").waitFor({ timeout: 30_000 });
      await page.getByRole("cell", { name: "Wrote a review" }).waitFor();
      await saveScreenshot(page, "admin-bonuses");

      const request = webhookRequest(
        "customers/data_request",
        {
          shop_id: 1,
          shop_domain: "tsumiki-demo.myshopify.com",
          customer: { id: 2001, email: "customer2001@example.com" },
          orders_requested: [],
          data_request: { id: 1 },
        },
        { shop: "tsumiki-demo.myshopify.com", secret: server.secret, baseUrl: server.baseUrl },
      );
      expect((await fetch(request)).status).toBe(200);
      await page.goto(`${server.baseUrl}/local/admin?path=/app/privacy&locale=ja`);
      await page.getByText("データ開示請求").first().waitFor({ timeout: 60_000 });
      await until(
        page,
        () => page.getByRole("button", { name: "送付済みにする" }).click(),
        async () => (await page.getByText(/に送付済み$/).count()) > 0,
      );
      await saveScreenshot(page, "admin-data-requests-ja");
    } finally {
      await browser.close();
    }
  }, 360_000);

  it("reads the order history, shows what awarding would do, and awards it (Japanese)", async () => {
    const browser = await launchChromium();
    try {
      const page = await (await desktopContext(browser)).newPage();
      await page.goto(`${server.baseUrl}/local/admin?path=/app/history&locale=ja`);
      await page.getByText("注文履歴を読み込む").first().waitFor({ timeout: 150_000 });
      await page.getByRole("spinbutton").fill("6");
      // The demo shop's stand-in reads four past orders at once; the preview follows.
      await until(
        page,
        () => page.getByRole("button", { name: "注文履歴を読み込む" }).click(),
        async () => (await page.getByRole("heading", { name: "付与した場合" }).count()) > 0,
      );
      await page.getByText(/3 人の会員に 312 ポイントを付与します/).waitFor();
      await saveScreenshot(page, "admin-history-preview-ja");
      await until(
        page,
        () => page.getByRole("button", { name: "312 ポイントを付与する" }).click(),
        async () => (await page.getByText("4 件の注文に付与済み").count()) > 0,
      );
      await saveScreenshot(page, "admin-history-awarded-ja");
    } finally {
      await browser.close();
    }
  }, 360_000);
});
