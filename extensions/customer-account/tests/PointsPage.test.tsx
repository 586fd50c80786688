// @vitest-environment jsdom
/// <reference types="@shopify/ui-extensions/customer-account.page.render" />
import { getExtension } from "@shopify/ui-extensions-tester";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { accountPoints, answer, headings, never, text, UNAVAILABLE } from "./fixtures";
import { speak, type Language } from "./i18n";

const extension = getExtension("customer-account.page.render");

describe.each<Language>(["en", "ja"])("the Points page (%s)", (language) => {
  let words: ReturnType<typeof speak>;
  beforeEach(() => {
    extension.setUp();
    extension.shopify.sessionToken.get = vi.fn().mockResolvedValue("session-token");
    words = speak(extension.shopify.i18n, language);
  });
  afterEach(() => extension.tearDown());

  const { t } = { t: (key: string, options?: Record<string, string | number>) => words.t(key, options) };
  const yen = (n: number) => words.currency(n, { currency: "JPY" });

  it("shows a spinner while the points load", async () => {
    never(extension);
    await extension.render();
    expect(document.body.querySelector("s-spinner")).not.toBeNull();
    expect(document.body.querySelector("s-page")?.getAttribute("heading")).toBe(t("page.heading"));
  });

  it("asks the app with the session token and shows balance, pending, the passbook with running balance", async () => {
    const fetch = answer(extension, [200, accountPoints()]);
    await extension.render();
    await vi.waitFor(() => expect(headings()).toContain(t("passbook.heading")));
    expect(headings()).toContain(t("rewards.heading"));
    const [url, init] = fetch.mock.calls[0] as [string, RequestInit];
    expect(url).toMatch(/\/customer-account\/points$/);
    expect((init.headers as Record<string, string>).Authorization).toBe("Bearer session-token");
    expect(text()).toContain(t("page.available", { points: words.number(1254) }));
    expect(text()).toContain(t("page.pending", { points: words.number(54) }));
    expect(text()).toContain(t("page.pendingHelp"));
    expect(text()).toContain(t("page.noExpiry"));
    // One line per entry, in words, each with the balance after it; the order's points explained.
    const earn = t("passbook.pendingTitle", { title: t("passbook.kind.earn", { order: "#1042" }) });
    expect(text()).toContain(
      t("passbook.line", { date: words.date(new Date("2026-11-20T03:00:00Z"), { dateStyle: "medium" }), title: earn }),
    );
    expect(text()).toContain(t("passbook.amount", { points: `+${words.number(54)}`, balance: words.number(1254) }));
    expect(text()).toContain(t("explanation.rate", { base: yen(5400), points: "1", per: yen(100) }));
    expect(text()).toContain(t("passbook.kind.redeem", { order: "#1030" }));
    expect(text()).toContain(t("passbook.amount", { points: words.number(-500), balance: words.number(1200) }));
    expect(text()).toContain(t("passbook.kind.adjust"));
    // Rewards and the unused code.
    expect(text()).toContain(t("rewards.reward", { amount: yen(500), points: words.number(500) }));
    expect(text()).toContain("TSUMIKI-ABC");
    // No tier program: no tier, no progress.
    expect(text()).toContain(t("page.noTier"));
  });

  it("a Gold member sees the tier, its benefit, and an order explained with its boost", async () => {
    const state = accountPoints({ tierExtraPercent: 25 });
    state.member = { ...state.member!, tier: { id: "gold", name: "Gold" }, nextTier: null };
    state.passbook[0].explanation!.boosts = [{ source: "Gold", percent: 25 }];
    answer(extension, [200, state]);
    await extension.render();
    await vi.waitFor(() => expect(text()).toContain(t("page.tier", { tier: "Gold" })));
    expect(text()).toContain(t("page.tierBenefit", { percent: "25" }));
    expect(text()).toContain(t("page.topTier"));
    expect(text()).toContain(
      `${t("explanation.rate", { base: yen(5400), points: "1", per: yen(100) })} + ${t("explanation.boost", { source: "Gold", percent: "25" })}`,
    );
  });

  it("a member without a tier sees how much more to spend to reach the first", async () => {
    const state = accountPoints();
    state.member = { ...state.member!, nextTier: { id: "silver", name: "Silver", remaining: 3200 } };
    answer(extension, [200, state]);
    await extension.render();
    await vi.waitFor(() => expect(text()).toContain(t("page.toNextSpend", { amount: yen(3200), tier: "Silver" })));
    expect(text()).toContain(t("page.noTier"));
  });

  it("in a points-based tier program, says how many more points reach the next tier", async () => {
    const state = accountPoints();
    state.program = { ...state.program, tierBasis: "points" };
    state.member = { ...state.member!, nextTier: { id: "silver", name: "Silver", remaining: 800 } };
    answer(extension, [200, state]);
    await extension.render();
    await vi.waitFor(() =>
      expect(text()).toContain(t("page.toNextPoints", { points: words.number(800), tier: "Silver" })),
    );
  });

  it("a member on hold, owing points after a refund, is told both", async () => {
    const state = accountPoints();
    state.member = { ...state.member!, blocked: true, debt: 120 };
    answer(extension, [200, state]);
    await extension.render();
    await vi.waitFor(() => expect(text()).toContain(t("page.blocked")));
    expect(text()).toContain(t("page.debt", { points: words.number(120) }));
  });

  it("says which points expire first and when", async () => {
    const state = accountPoints();
    state.member = { ...state.member!, expiringSoon: { points: 300, at: "2027-03-31T15:00:00Z" } };
    answer(extension, [200, state]);
    await extension.render();
    const last = words.date(new Date("2027-03-31T14:59:59.999Z"), { dateStyle: "medium" });
    await vi.waitFor(() => expect(text()).toContain(t("page.expiring", { points: words.number(300), date: last })));
  });

  it("an empty passbook says points will appear after the first order", async () => {
    const state = accountPoints({ passbook: [], codes: [] });
    state.member = { ...state.member!, available: 0, pending: 0 };
    answer(extension, [200, state]);
    await extension.render();
    await vi.waitFor(() => expect(text()).toContain(t("passbook.empty")));
    expect(text()).not.toContain(t("rewards.codes"));
  });

  it("a customer who has not joined is offered to join, with the terms, and joining shows the points", async () => {
    const fetch = answer(
      extension,
      [
        200,
        accountPoints({
          membership: { mode: "join", member: false, joinedAt: null, termsVersion: "2026-11" },
          member: null,
          passbook: [],
          codes: [],
        }),
      ],
      [200, {}],
      [200, accountPoints()],
    );
    await extension.render();
    await vi.waitFor(() => expect(text()).toContain(t("profile.notMember")));
    expect(text()).toContain(t("profile.terms", { version: "2026-11" }));
    const join = [...document.body.querySelectorAll("s-button")].find((b) => b.textContent === t("profile.join"))!;
    join.dispatchEvent(new Event("click"));
    await vi.waitFor(() => expect(headings()).toContain(t("passbook.heading")));
    const [url, init] = fetch.mock.calls[1] as [string, RequestInit];
    expect(url).toMatch(/\/customer-account\/profile$/);
    expect(JSON.parse(init.body as string)).toEqual({ action: "join", termsVersion: "2026-11" });
  });

  it("when the points cannot be loaded, says so", async () => {
    answer(extension, [500, {}]);
    await extension.render();
    await vi.waitFor(() => expect(document.body.querySelector("s-banner")?.textContent).toBe(t("errors.load")));
    expect(document.body.querySelector("s-banner")?.getAttribute("tone")).toBe("critical");
  });

  it("when the app cannot reach its database (503), says points are temporarily unavailable", async () => {
    answer(extension, UNAVAILABLE);
    await extension.render();
    await vi.waitFor(() => expect(document.body.querySelector("s-banner")?.textContent).toBe(t("errors.unavailable")));
    expect(document.body.querySelector("s-banner")?.getAttribute("tone")).toBe("info");
  });
});
