// @vitest-environment jsdom
/// <reference types="@shopify/ui-extensions/purchase.checkout.block.render" />
import { readFileSync } from "node:fs";
import { getExtension } from "@shopify/ui-extensions-tester";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { pointsState } from "./points-state";

const extension = getExtension("purchase.checkout.block.render");

const STATE = pointsState();
const RESERVATION = { points: 500, amountMinor: 500, nonce: "nonce-123", expiresAt: "2026-11-24T10:30:00Z" };

function answers(...responses: Array<[number, unknown]>) {
  const fetch = vi.fn();
  for (const [status, body] of responses) fetch.mockResolvedValueOnce(new Response(JSON.stringify(body), { status }));
  extension.fetch = fetch;
  globalThis.fetch = fetch;
  return fetch;
}

const text = () => document.body.textContent ?? "";
const button = (label: string) =>
  [...document.body.querySelectorAll("s-button")].find((b) => b.textContent === label) as HTMLElement;

describe("checkout points", () => {
  beforeEach(() => {
    extension.setUp();
    extension.shopify.sessionToken.get = vi.fn().mockResolvedValue("session-token");
    extension.shopify.cost.subtotalAmount.value = { amount: 10000, currencyCode: "JPY" };
  });
  afterEach(() => extension.tearDown());

  it("a logged-out shopper is asked to log in", async () => {
    answers([200, { ...STATE, loggedIn: false, balance: 0 }]);
    await extension.render();
    await vi.waitFor(() => expect(text()).toContain("unavailable.loggedOut"));
  });

  it("a shopper below the minimum is told so", async () => {
    answers([200, { ...STATE, balance: 50 }]);
    await extension.render();
    await vi.waitFor(() => expect(text()).toContain("unavailable.belowMinimum"));
  });

  it("when the program is off, the shopper is told so", async () => {
    answers([200, { ...STATE, enabled: false }]);
    await extension.render();
    await vi.waitFor(() => expect(text()).toContain("unavailable.disabled"));
  });

  it("shows the balance and offers up to half the cart, then holds the points and marks the cart", async () => {
    const fetch = answers([200, STATE], [200, { reservation: RESERVATION, balance: 1200 }]);
    const applyAttributeChange = vi.spyOn(extension.shopify, "applyAttributeChange");
    await extension.render();
    await vi.waitFor(() => expect(document.body.querySelector("s-number-field")).not.toBeNull());
    const field = document.body.querySelector("s-number-field") as HTMLElement & { value: string };
    expect(String(field.getAttribute("max") ?? (field as unknown as { max: number }).max)).toBe("1200");
    field.value = "550";
    field.dispatchEvent(new Event("change"));
    await vi.waitFor(() =>
      expect((document.body.querySelector("s-number-field") as unknown as { value: string }).value).toBe("500"),
    );

    button("apply").dispatchEvent(new Event("click"));
    await vi.waitFor(() =>
      expect(applyAttributeChange).toHaveBeenCalledWith({
        type: "updateAttribute",
        key: "_tsumiki_reservation",
        value: "nonce-123",
      }),
    );
    const [url, init] = fetch.mock.calls[1] as [string, RequestInit];
    expect(url).toMatch(/\/checkout\/points$/);
    expect(init.method).toBe("POST");
    expect((init.headers as Record<string, string>).Authorization).toBe("Bearer session-token");
    expect(JSON.parse(init.body as string)).toEqual({ points: 500, subtotalMinor: 10000 });
    await vi.waitFor(() => expect(text()).toContain("applied"));
  });

  it("removing the points releases them and clears the cart mark", async () => {
    const fetch = answers([200, { ...STATE, reservation: RESERVATION }], [200, { reservation: null, balance: 1200 }]);
    const applyAttributeChange = vi.spyOn(extension.shopify, "applyAttributeChange");
    await extension.render();
    await vi.waitFor(() => expect(button("remove")).toBeTruthy());
    button("remove").dispatchEvent(new Event("click"));
    await vi.waitFor(() =>
      expect(applyAttributeChange).toHaveBeenCalledWith({ type: "removeAttribute", key: "_tsumiki_reservation" }),
    );
    expect((fetch.mock.calls[1] as [string, RequestInit])[1].method).toBe("DELETE");
    await vi.waitFor(() => expect(document.body.querySelector("s-number-field")).not.toBeNull());
  });

  it("a server error is shown and nothing is applied", async () => {
    answers([200, STATE], [502, { error: "Shopify did not accept the reservation", code: "shopify_unavailable" }]);
    const applyAttributeChange = vi.spyOn(extension.shopify, "applyAttributeChange");
    await extension.render();
    await vi.waitFor(() => expect(button("apply")).toBeTruthy());
    button("apply").dispatchEvent(new Event("click"));
    await vi.waitFor(() => expect(text()).toContain("errors.apply"));
    expect(applyAttributeChange).not.toHaveBeenCalled();
    expect(document.body.querySelector("s-number-field")).not.toBeNull();
  });

  it("when the points cannot be loaded, the shopper is told", async () => {
    answers([500, {}]);
    await extension.render();
    await vi.waitFor(() => expect(document.body.querySelector("s-banner")?.textContent).toBe("errors.load"));
  });

  it("when the app cannot reach its database (503), says points are temporarily unavailable, as a notice only", async () => {
    const intercept = vi.spyOn(extension.shopify.buyerJourney, "intercept");
    answers([503, { error: "Points are temporarily unavailable; try again in a minute.", code: "unavailable" }]);
    await extension.render();
    await vi.waitFor(() => expect(document.body.querySelector("s-banner")?.textContent).toBe("errors.unavailable"));
    expect(document.body.querySelector("s-banner")?.getAttribute("tone")).toBe("info");
    expect(document.body.querySelector("s-number-field")).toBeNull();
    // Nothing can hold the purchase back: no interceptor, and no capability that would let one block.
    expect(intercept).not.toHaveBeenCalled();
    expect(readFileSync("extensions/checkout-points/shopify.extension.toml", "utf8")).not.toMatch(/block_progress/);
  });

  it("a 503 while applying says points are temporarily unavailable and applies nothing", async () => {
    answers([200, STATE], [503, { error: "Points are temporarily unavailable", code: "unavailable" }]);
    const applyAttributeChange = vi.spyOn(extension.shopify, "applyAttributeChange");
    await extension.render();
    await vi.waitFor(() => expect(button("apply")).toBeTruthy());
    button("apply").dispatchEvent(new Event("click"));
    await vi.waitFor(() => expect(text()).toContain("errors.unavailable"));
    expect(applyAttributeChange).not.toHaveBeenCalled();
  });

  it("says it in Japanese too", async () => {
    const ja = JSON.parse(readFileSync("extensions/checkout-points/locales/ja.json", "utf8"));
    extension.shopify.i18n.translate = ((key: string) =>
      key.split(".").reduce((node, part) => node[part], ja) as unknown as string) as never;
    answers([503, { error: "Points are temporarily unavailable", code: "unavailable" }]);
    await extension.render();
    await vi.waitFor(() => expect(text()).toContain("ポイントは一時的にご利用いただけません。"));
  });

  it("speaks Japanese in a Japanese checkout", async () => {
    const ja = JSON.parse(readFileSync("extensions/checkout-points/locales/ja.json", "utf8"));
    extension.shopify.i18n.translate = ((key: string, options: Record<string, string> = {}) => {
      const template = key.split(".").reduce((node, part) => node[part], ja) as unknown as string;
      return template.replace(/\{\{(\w+)\}\}/g, (_, name) => String(options[name]));
    }) as never;
    answers([200, { ...STATE, loggedIn: false }]);
    await extension.render();
    await vi.waitFor(() => expect(text()).toContain("ログインすると、この注文にポイントを使えます。"));
  });
});
