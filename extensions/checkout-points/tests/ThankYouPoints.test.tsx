// @vitest-environment jsdom
/// <reference types="@shopify/ui-extensions/purchase.thank-you.block.render" />
import { readFileSync } from "node:fs";
import { getExtension } from "@shopify/ui-extensions-tester";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { OrderPoints } from "../../../app/members/customer-account-api";

const extension = getExtension("purchase.thank-you.block.render");

const ORDER: OrderPoints = {
  status: "recorded",
  orderName: "#1042",
  earned: 54,
  pending: 54,
  spent: 500,
  explanation: null,
};

function answer(status: number, body: unknown) {
  const fetch = vi.fn().mockResolvedValue(new Response(JSON.stringify(body), { status }));
  extension.fetch = fetch;
  globalThis.fetch = fetch;
  return fetch;
}

const text = () => document.body.textContent ?? "";

describe.each(["en.default", "ja"])("the thank-you page's points (%s)", (catalog) => {
  const words = JSON.parse(readFileSync(`extensions/checkout-points/locales/${catalog}.json`, "utf8"));
  const t = (key: string, options: Record<string, string> = {}) =>
    (key.split(".").reduce((node, part) => node[part], words) as unknown as string).replace(
      /\{\{(\w+)\}\}/g,
      (_, name: string) => options[name],
    );

  beforeEach(() => {
    extension.setUp();
    extension.shopify.sessionToken.get = vi.fn().mockResolvedValue("session-token");
    extension.shopify.i18n.translate = t as never;
    extension.shopify.orderConfirmation.value = { order: { id: "gid://shopify/Order/42" }, number: "1042" } as never;
  });
  afterEach(() => extension.tearDown());

  it("shows the points earned, pending and spent on the order, asked with the session token", async () => {
    const fetch = answer(200, ORDER);
    await extension.render();
    await vi.waitFor(() => expect(text()).toContain(t("thankYou.earned", { points: "54" })));
    expect(text()).toContain(t("thankYou.pending", { points: "54" }));
    expect(text()).toContain(t("thankYou.spent", { points: "500" }));
    const [url, init] = fetch.mock.calls[0] as [string, RequestInit];
    expect(url).toMatch(/\/checkout\/orders\/42$/);
    expect((init.headers as Record<string, string>).Authorization).toBe("Bearer session-token");
  });

  it("before the app has the order, says the points will appear shortly", async () => {
    answer(200, { ...ORDER, status: "processing", earned: 0, pending: 0, spent: 0 });
    await extension.render();
    await vi.waitFor(() => expect(text()).toContain(t("thankYou.processing")));
  });

  it("an order without points says so", async () => {
    answer(200, { ...ORDER, earned: 0, pending: 0, spent: 0 });
    await extension.render();
    await vi.waitFor(() => expect(text()).toContain(t("thankYou.none")));
  });

  it("a guest sees nothing", async () => {
    const fetch = answer(401, { error: "log in to earn points", code: "not_logged_in" });
    await extension.render();
    await vi.waitFor(() => expect(fetch).toHaveBeenCalled());
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(text()).toBe("");
  });

  it("a 503 says points are temporarily unavailable; another failure that they will appear in the account", async () => {
    answer(503, { error: "Points are temporarily unavailable", code: "unavailable" });
    await extension.render();
    await vi.waitFor(() => expect(text()).toContain(t("thankYou.unavailable")));
    extension.tearDown();
    extension.setUp();
    extension.shopify.sessionToken.get = vi.fn().mockResolvedValue("session-token");
    extension.shopify.i18n.translate = t as never;
    extension.shopify.orderConfirmation.value = { order: { id: "gid://shopify/Order/42" }, number: "1042" } as never;
    answer(500, {});
    await extension.render();
    await vi.waitFor(() => expect(text()).toContain(t("thankYou.load")));
  });
});
