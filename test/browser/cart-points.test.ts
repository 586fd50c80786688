import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { desktopContext, hasChromium, launchChromium, saveScreenshot } from "../support/browser";
import { startLocalServer, type LocalServer } from "../support/local-server";
import { orderPayload, paidWithPoints } from "../support/payloads";
import { webhookRequest } from "../support/shopify";

// Paying with points from the cart page (every Shopify plan), in the storefront preview of `npm run local`: the cart
// block, the stand-in Cart AJAX API, the stand-in checkout running the real discount Function, and orders/paid.
describe.skipIf(!hasChromium())("pay with points on the cart page, in a real browser (local preview)", () => {
  let server: LocalServer;
  let options: { shop: string; secret: string; baseUrl: string };

  beforeAll(async () => {
    server = await startLocalServer();
    options = { shop: "tsumiki-demo.myshopify.com", secret: server.secret, baseUrl: server.baseUrl };
    const paid = await fetch(
      webhookRequest("orders/paid", orderPayload({ customerId: 1001, total: "100000" }), options),
    );
    expect(paid.status).toBe(200); // 1,000 points for the demo customer #1001
  }, 120_000);

  afterAll(() => server?.stop());

  it("a member uses 500 points on the cart, checkout takes ¥500 off through the Function, orders/paid settles 500", async () => {
    const browser = await launchChromium();
    try {
      const context = await desktopContext(browser);
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/local/storefront/cart?locale=en`);
      await page.getByLabel("Logged in as").selectOption("1001");
      await page.waitForURL(/\/local\/storefront\/cart\?locale=en/);

      const field = page.getByLabel("Points to use");
      await field.waitFor({ timeout: 60_000 });
      await page.getByText("You have 1,000 points.").waitFor();
      await field.fill("500");
      await page.getByRole("button", { name: "Use points" }).click();
      // Shown, and said (the block's live region repeats it): the first is the visible line.
      await page.getByText("500 points (¥500 off) will be taken off at checkout.").first().waitFor({ timeout: 30_000 });
      await saveScreenshot(page, "cart-points-applied", { fullPage: true });

      // The block put the reservation's nonce on the cart, through the (stand-in) Cart AJAX API.
      const state = () =>
        page.evaluate(async () => {
          const cart = (await (await fetch("/local/storefront/cart.js")).json()) as {
            attributes: Record<string, string>;
          };
          const points = (await (await fetch("/local/apps/tsumiki/cart-points")).json()) as {
            balance: number;
            reservation: { points: number; nonce: string } | null;
          };
          return { attribute: cart.attributes._tsumiki_reservation, points };
        });
      const held = await state();
      expect(held.points.reservation).toMatchObject({ points: 500 });
      expect(held.attribute).toBe(held.points.reservation!.nonce);

      // The launcher's panel on the cart page offers the same block (the cart script, not the panel, draws it).
      const tab = await context.newPage();
      await tab.goto(`${server.baseUrl}/local/storefront/cart?locale=en`);
      await tab.getByRole("button", { name: /^Rewards/ }).click();
      const dialog = tab.getByRole("dialog", { name: "Rewards" });
      await dialog
        .getByText("500 points (¥500 off) will be taken off at checkout.")
        .first()
        .waitFor({ timeout: 60_000 });
      await saveScreenshot(tab, "cart-points-panel", { fullPage: false });
      await tab.close();

      // Another browser of the same member (a cart of its own) cannot hold more than the balance: 1,000 in all,
      // counting the 500 already held; the refusal says why, and the first cart's 500 stay held.
      const other = await (await desktopContext(browser)).newPage();
      await other.goto(`${server.baseUrl}/local/storefront/cart?locale=en`);
      await other.getByLabel("Logged in as").selectOption("1001");
      await other.waitForURL(/\/local\/storefront\/cart\?locale=en/);
      await other.getByLabel("Points to use").fill("1100");
      await other.getByRole("button", { name: "Use points" }).click();
      expect(await other.getByRole("alert").textContent({ timeout: 30_000 })).toBe("You do not have that many points.");
      expect((await other.evaluate(() => fetch("/local/storefront/cart.js").then((r) => r.json()))).attributes).toEqual(
        {},
      );
      expect(await state()).toEqual(held);

      // The stand-in checkout runs the real discount Function on this cart and the recorded reservation metafield.
      await page.goto(`${server.baseUrl}/local/storefront/checkout?locale=en`);
      await expect
        .poll(() => page.locator("[data-discount]").textContent())
        .toContain("Points redemption (500 points)");
      expect(await page.locator("[data-discount] td").textContent()).toBe("−¥500");
      expect(await page.locator("[data-total]").textContent()).toBe("¥8,500");
      await saveScreenshot(page, "cart-points-checkout", { fullPage: true });

      // Shopify's orders/paid for that checkout (¥9,000 less ¥500, the nonce in its note attributes) spends exactly
      // the 500 held points, and earns on the ¥8,500 paid in money.
      const order = paidWithPoints(1001, held.attribute, 500, [{ price: "3600" }, { price: "5400" }]);
      const settled = await fetch(webhookRequest("orders/paid", order, options));
      expect(settled.status).toBe(200);
      expect(await settled.json()).toMatchObject({ detail: "earned 85 points on 8500 JPY; spent 500 points" });
      await page.goto(`${server.baseUrl}/local/storefront/cart?locale=en`);
      await page.getByText("You have 585 points.").waitFor({ timeout: 30_000 });
      expect((await state()).points.reservation).toBeNull();
    } finally {
      await browser.close();
    }
  }, 300_000);
});
