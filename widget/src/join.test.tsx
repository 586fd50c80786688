// @vitest-environment jsdom
/** @jsxImportSource preact */
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { config, member, request, stubFetch, summary } from "./test-fixtures";
import { Widget } from "./Widget";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** A logged-in customer in a "members join" program who has not joined. */
const outsider = () =>
  summary({
    membership: { mode: "join", member: false, termsVersion: "2026-12", termsUrl: "https://shop.example/terms" },
    member: member({ available: 0, tier: null, nextTier: null }),
    codes: [],
    history: { entries: [], next: null },
  });

describe("joining from the widget", () => {
  it("offers joining with the terms; Join is disabled until they are accepted, then joins and shows the balance", async () => {
    const joined = summary({
      membership: { mode: "join", member: true, termsVersion: "2026-12", termsUrl: "https://shop.example/terms" },
      member: member({ available: 300 }),
    });
    const fetch = stubFetch([200, outsider()], [200, { member: true }], [200, joined]);
    render(<Widget config={config({ mode: "page" })} />);
    const terms = await screen.findByRole("link", { name: "I accept the program terms" });
    expect(terms.getAttribute("href")).toBe("https://shop.example/terms");
    // Not a member yet: no balance, no rewards to redeem.
    expect(screen.queryByText("Available points")).toBeNull();
    const join = screen.getByRole("button", { name: "Earn points" }) as HTMLButtonElement;
    expect(join.disabled).toBe(true);

    fireEvent.click(screen.getByRole("checkbox"));
    await waitFor(() => expect(join.disabled).toBe(false));
    fireEvent.click(join);
    await screen.findByText("Available points");
    expect(document.querySelector(".tsumiki-points")?.textContent).toBe("300");
    const { url, init } = request(fetch, 1);
    expect(url).toBe("/apps/tsumiki/join");
    expect(init).toMatchObject({ method: "POST" });
    expect(JSON.parse(String(init?.body))).toEqual({ termsVersion: "2026-12" });
  });

  it("in Japanese, and says so when joining fails", async () => {
    stubFetch([200, outsider()], [409, { error: "The program terms are now version 2027-01" }]);
    render(<Widget config={config({ mode: "page", locale: "ja" })} />);
    await screen.findByRole("link", { name: "規約に同意します" });
    fireEvent.click(screen.getByRole("checkbox"));
    const join = screen.getByRole("button", { name: "ポイントを貯める" });
    await waitFor(() => expect((join as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(join);
    expect((await screen.findByRole("alert")).textContent).toBe("エラーが発生しました。もう一度お試しください。");
  });

  it("a member, or any customer of an every-customer program, sees no join form", async () => {
    stubFetch([200, summary()]);
    render(<Widget config={config({ mode: "page" })} />);
    await screen.findByText("Available points");
    expect(screen.queryByRole("checkbox")).toBeNull();
  });
});
