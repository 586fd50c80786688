// @vitest-environment jsdom
/// <reference types="@shopify/ui-extensions/customer-account.profile.block.render" />
import { getExtension } from "@shopify/ui-extensions-tester";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { accountProfile, answer, headings, never, text, UNAVAILABLE } from "./fixtures";
import { speak, type Language } from "./i18n";

const extension = getExtension("customer-account.profile.block.render");

const button = (label: string) =>
  [...document.body.querySelectorAll("s-button")].find((b) => b.textContent === label) as HTMLElement;
const sent = (fetch: ReturnType<typeof answer>, call: number) =>
  JSON.parse((fetch.mock.calls[call] as [string, RequestInit])[1].body as string);

describe.each<Language>(["en", "ja"])("the profile block (%s)", (language) => {
  let words: ReturnType<typeof speak>;
  beforeEach(() => {
    extension.setUp();
    extension.shopify.sessionToken.get = vi.fn().mockResolvedValue("session-token");
    words = speak(extension.shopify.i18n, language);
  });
  afterEach(() => extension.tearDown());
  const t = (key: string, options?: Record<string, string | number>) => words.t(key, options);

  it("shows a spinner while loading", async () => {
    never(extension);
    await extension.render();
    expect(document.body.querySelector("s-spinner")).not.toBeNull();
    expect(headings()).toContain(t("profile.heading"));
  });

  it("a customer who has not joined is offered to join with the terms shown, and joins", async () => {
    const notMember = accountProfile({
      membership: { mode: "join", member: false, joinedAt: null, termsVersion: "2026-11" },
    });
    const fetch = answer(extension, [200, notMember], [200, accountProfile()]);
    await extension.render();
    await vi.waitFor(() => expect(text()).toContain(t("profile.notMember")));
    expect(text()).toContain(t("profile.terms", { version: "2026-11" }));
    // No birthday or emails before joining.
    expect(document.body.querySelector("s-switch")).toBeNull();
    button(t("profile.join")).dispatchEvent(new Event("click"));
    await vi.waitFor(() => expect(text()).toContain(t("profile.leave")));
    expect(sent(fetch, 1)).toEqual({ action: "join", termsVersion: "2026-11" });
  });

  it("a member leaves after being told they keep their points", async () => {
    const fetch = answer(
      extension,
      [200, accountProfile()],
      [200, accountProfile({ membership: { mode: "join", member: false, joinedAt: null, termsVersion: "2026-11" } })],
    );
    await extension.render();
    await vi.waitFor(() => expect(button(t("profile.leave"))).toBeTruthy());
    button(t("profile.leave")).dispatchEvent(new Event("click"));
    await vi.waitFor(() => expect(text()).toContain(t("profile.leaveKeep", { points: words.number(1254) })));
    button(t("profile.confirmLeave")).dispatchEvent(new Event("click"));
    await vi.waitFor(() => expect(text()).toContain(t("profile.notMember")));
    expect(sent(fetch, 1)).toEqual({ action: "leave", confirm: true });
  });

  it("a member of a program where leaving forfeits is told so, and can cancel", async () => {
    answer(extension, [200, accountProfile({ onLeave: "forfeit" })]);
    await extension.render();
    await vi.waitFor(() => expect(button(t("profile.leave"))).toBeTruthy());
    button(t("profile.leave")).dispatchEvent(new Event("click"));
    await vi.waitFor(() => expect(text()).toContain(t("profile.leaveForfeit", { points: words.number(1254) })));
    button(t("profile.cancel")).dispatchEvent(new Event("click"));
    await vi.waitFor(() => expect(button(t("profile.leave"))).toBeTruthy());
  });

  it("in a program where every customer is a member, there is nothing to join or leave", async () => {
    answer(extension, [
      200,
      accountProfile({ membership: { mode: "all", member: true, joinedAt: null, termsVersion: "1" } }),
    ]);
    await extension.render();
    await vi.waitFor(() => expect(text()).toContain(t("profile.everyone")));
    expect(button(t("profile.leave"))).toBeUndefined();
    expect(document.body.querySelector("s-switch")).not.toBeNull();
  });

  it("a birthday is chosen once, then shown read-only", async () => {
    const fetch = answer(extension, [200, accountProfile()], [200, accountProfile({ birthday: "07-14" })]);
    await extension.render();
    await vi.waitFor(() => expect(text()).toContain(t("profile.birthdayHelp", { points: words.number(100) })));
    const [month, day] = [...document.body.querySelectorAll("s-select")] as Array<HTMLElement & { value: string }>;
    month.value = "07";
    month.dispatchEvent(new Event("change"));
    day.value = "14";
    day.dispatchEvent(new Event("change"));
    // Preact renders the chosen day before the button is pressed, as it does between a shopper's clicks.
    await new Promise((resolve) => setTimeout(resolve, 0));
    button(t("profile.saveBirthday")).dispatchEvent(new Event("click"));
    const shown = words.date(new Date(Date.UTC(2000, 6, 14)), { month: "long", day: "numeric", timeZone: "UTC" });
    await vi.waitFor(() => expect(text()).toContain(t("profile.birthdaySaved", { date: shown })));
    expect(sent(fetch, 1)).toEqual({ action: "birthday", birthday: "07-14" });
    expect(document.body.querySelector("s-select")).toBeNull();
  });

  it("turns the points news emails on", async () => {
    const fetch = answer(extension, [200, accountProfile()], [200, accountProfile({ pointsNewsEmails: true })]);
    await extension.render();
    await vi.waitFor(() => expect(document.body.querySelector("s-switch")).not.toBeNull());
    const toggle = document.body.querySelector("s-switch") as HTMLElement & { checked: boolean };
    expect(toggle.getAttribute("label")).toBe(t("profile.emails"));
    toggle.checked = true;
    toggle.dispatchEvent(new Event("change"));
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(2));
    expect(sent(fetch, 1)).toEqual({ action: "emails", pointsNewsEmails: true });
  });

  it("a refused change is shown and the form stays", async () => {
    answer(
      extension,
      [200, accountProfile()],
      [409, { error: "Your birthday is already saved.", code: "birthday_set" }],
    );
    await extension.render();
    await vi.waitFor(() => expect(button(t("profile.saveBirthday"))).toBeTruthy());
    button(t("profile.saveBirthday")).dispatchEvent(new Event("click"));
    await vi.waitFor(() => expect(document.body.querySelector("s-banner")?.textContent).toBe(t("errors.save")));
    expect(document.body.querySelector("s-select")).not.toBeNull();
  });

  it("when the profile cannot be loaded, says so", async () => {
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
