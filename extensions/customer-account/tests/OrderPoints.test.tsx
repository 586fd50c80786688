// @vitest-environment jsdom
/// <reference types="@shopify/ui-extensions/customer-account.order-status.block.render" />
import { getExtension } from "@shopify/ui-extensions-tester";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { answer, headings, never, orderPoints, text, UNAVAILABLE } from "./fixtures";
import { speak, type Language } from "./i18n";

const extension = getExtension("customer-account.order-status.block.render");

describe.each<Language>(["en", "ja"])("the order-status block (%s)", (language) => {
  let words: ReturnType<typeof speak>;
  beforeEach(() => {
    extension.setUp();
    extension.shopify.sessionToken.get = vi.fn().mockResolvedValue("session-token");
    words = speak(extension.shopify.i18n, language);
  });
  afterEach(() => extension.tearDown());
  const t = (key: string, options?: Record<string, string | number>) => words.t(key, options);
  const yen = (n: number) => words.currency(n, { currency: "JPY" });

  it("shows a spinner while loading, under the Points heading", async () => {
    never(extension);
    await extension.render();
    expect(document.body.querySelector("s-spinner")).not.toBeNull();
    expect(headings()).toContain(t("order.heading"));
  });

  it("asks for this order and shows the points earned, explained", async () => {
    const fetch = answer(extension, [200, orderPoints()]);
    await extension.render();
    await vi.waitFor(() => expect(text()).toContain(t("order.earned", { points: words.number(54) })));
    expect(fetch.mock.calls[0][0]).toMatch(/\/customer-account\/orders\/1$/);
    const explanation = t("explanation.rate", { base: yen(5400), points: "1", per: yen(100) });
    expect(text()).toContain(t("order.why", { explanation }));
    expect(text()).not.toContain(t("order.spent", { points: words.number(0) }));
  });

  it("says how many of the points are still pending", async () => {
    answer(extension, [200, orderPoints({ pending: 54 })]);
    await extension.render();
    await vi.waitFor(() => expect(text()).toContain(t("order.pending", { points: words.number(54) })));
  });

  it("shows the points spent on the order", async () => {
    answer(extension, [200, orderPoints({ earned: 49, spent: 500 })]);
    await extension.render();
    await vi.waitFor(() => expect(text()).toContain(t("order.spent", { points: words.number(500) })));
    expect(text()).toContain(t("order.earned", { points: words.number(49) }));
  });

  it("an order with no points says so", async () => {
    answer(extension, [200, orderPoints({ earned: 0, spent: 0, explanation: null })]);
    await extension.render();
    await vi.waitFor(() => expect(text()).toContain(t("order.none")));
  });

  it("an order the app has not recorded yet says the points will appear shortly", async () => {
    answer(extension, [200, orderPoints({ status: "processing", earned: 0, orderName: null, explanation: null })]);
    await extension.render();
    await vi.waitFor(() => expect(text()).toContain(t("order.processing")));
  });

  it("when the points cannot be loaded, says so", async () => {
    answer(extension, [500, {}]);
    await extension.render();
    await vi.waitFor(() => expect(document.body.querySelector("s-banner")?.textContent).toBe(t("errors.load")));
  });

  it("when the app cannot reach its database (503), says points are temporarily unavailable", async () => {
    answer(extension, UNAVAILABLE);
    await extension.render();
    await vi.waitFor(() => expect(document.body.querySelector("s-banner")?.textContent).toBe(t("errors.unavailable")));
    expect(document.body.querySelector("s-banner")?.getAttribute("tone")).toBe("info");
  });
});
