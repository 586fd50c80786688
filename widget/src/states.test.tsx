// @vitest-environment jsdom
/** @jsxImportSource preact */
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { anonymous, config, member, program, request, stubFetch, summary } from "./test-fixtures";
import { Widget } from "./Widget";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const launcher = () => screen.getByRole("button", { name: /^Rewards/ });
const text = () => document.body.textContent ?? "";

describe("what the shopper sees", () => {
  it("anonymous: no request before the launcher opens, then the program and log in / sign up links", async () => {
    const fetch = stubFetch([200, anonymous()]);
    render(<Widget config={config({ loggedIn: false })} />);
    await new Promise((r) => setTimeout(r, 20));
    expect(fetch).not.toHaveBeenCalled();
    expect(launcher().getAttribute("aria-expanded")).toBe("false");
    expect(launcher().textContent).toContain("Earn points");

    fireEvent.click(launcher());
    await screen.findByText("Earn points on every order and turn them into discounts.");
    expect(fetch).toHaveBeenCalledTimes(1);
    const { url, init } = request(fetch, 0);
    expect(url).toBe("/apps/tsumiki/summary");
    expect(init).toMatchObject({ credentials: "same-origin", headers: { Accept: "application/json" } });

    const dialog = screen.getByRole("dialog", { name: "Rewards" });
    expect(dialog.textContent).toContain("1 point per ¥100");
    expect(dialog.textContent).toContain("Sign up: 200 points");
    expect(dialog.textContent).toContain("Birthday: 300 points");
    expect(dialog.textContent).toContain("Write a review: 50 points");
    expect(dialog.textContent).toContain("Gold Spend ¥100,000 · +10% points");
    expect(dialog.textContent).toContain("Small discount 500 points · ¥500 off");
    expect(screen.getByRole("link", { name: "Log in" }).getAttribute("href")).toBe("/account/login");
    expect(screen.getByRole("link", { name: "Create account" }).getAttribute("href")).toBe("/account/register");
    expect(screen.queryByRole("button", { name: /^Redeem/ })).toBeNull();
  });

  it("new member: 0 points, and every reward says how many points are missing", async () => {
    stubFetch([200, summary({ member: member({ available: 0, tier: null, nextTier: null }) })]);
    render(<Widget config={config({ mode: "page" })} />);
    await screen.findByText("Available points");
    expect(document.querySelector(".tsumiki-points")?.textContent).toBe("0");
    expect(text()).toContain("500 points more needed");
    expect(text()).toContain("1,000 points more needed");
    expect(screen.queryByRole("button", { name: /^Redeem/ })).toBeNull();
  });

  it("pending only: the pending points are shown and nothing is available to spend", async () => {
    stubFetch([200, summary({ member: member({ available: 0, pending: 120 }) })]);
    render(<Widget config={config({ mode: "page" })} />);
    await screen.findByText(/120 points pending/);
    expect(document.querySelector(".tsumiki-points")?.textContent).toBe("0");
    expect(text()).toContain("500 points more needed");
    expect(screen.queryByRole("button", { name: /^Redeem/ })).toBeNull();
  });

  it("expiring soon: the points and their formatted date", async () => {
    const expiringSoon = { points: 300, at: "2026-03-31T12:00:00Z" };
    stubFetch([200, summary({ member: member({ available: 800, expiringSoon }) })]);
    render(<Widget config={config({ mode: "page" })} />);
    await screen.findByText("300 points expire on Mar 31, 2026");
    expect(document.querySelector(".tsumiki-points")?.textContent).toBe("800");
  });

  it("top tier: no next tier, a 'top tier' line and no progress", async () => {
    stubFetch([200, summary({ member: member({ tier: { id: "gold", name: "Gold" }, nextTier: null }) })]);
    render(<Widget config={config({ mode: "page" })} />);
    await screen.findByText("You're at the top tier");
    expect(text()).toContain("Tier: Gold");
    expect(text()).not.toMatch(/more to/);
    expect(document.querySelector(".tsumiki-bar")).toBeNull();
  });

  it("progress to the next tier: money for a spend basis, points for a points basis", async () => {
    stubFetch([200, summary()]);
    render(<Widget config={config({ mode: "page" })} />);
    await screen.findByText("¥3,200 more to Gold");
    // Silver at ¥30,000, Gold at ¥100,000, ¥3,200 missing: 66,800 of 70,000 along.
    expect((document.querySelector(".tsumiki-bar span") as HTMLElement).style.width).toMatch(/^95\.4/);
    cleanup();

    const points = program({ tierBasis: "points" });
    stubFetch([
      200,
      summary({ program: points, member: member({ nextTier: { id: "gold", name: "Gold", remaining: 320 } }) }),
    ]);
    render(<Widget config={config({ mode: "page" })} />);
    await screen.findByText("320 more points to Gold");
  });

  it("debt and a blocked member: the debt is shown, redeeming is disabled with a message", async () => {
    stubFetch([200, summary({ member: member({ debt: 150, blocked: true }) })]);
    render(<Widget config={config({ mode: "page" })} />);
    await screen.findByText("150 points owed after a refund; new points repay it first.");
    expect(text()).toContain("Redeeming is unavailable for your account");
    const redeem = screen.getByRole("button", { name: "Redeem: Small discount" }) as HTMLButtonElement;
    expect(redeem.disabled).toBe(true);
  });

  it("API error: the error in an alert, and Try again fetches the summary again", async () => {
    const fetch = stubFetch([500, { error: "boom" }], [200, summary()]);
    render(<Widget config={config({ mode: "page" })} />);
    expect((await screen.findByRole("alert")).textContent).toBe("We couldn't load your points.");
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    await screen.findByText("Available points");
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(request(fetch, 1).url).toBe("/apps/tsumiki/summary");
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("the app's database is down (503): points are temporarily unavailable, and Try again loads them later", async () => {
    const unavailable = { error: "Points are temporarily unavailable; try again in a minute.", code: "unavailable" };
    const fetch = stubFetch([503, unavailable], [200, summary()]);
    render(<Widget config={config({ mode: "page" })} />);
    expect((await screen.findByRole("alert")).textContent).toBe("Points are temporarily unavailable.");
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    await screen.findByText("Available points");
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it("logged in: exactly one request on load, and the launcher's name carries the balance", async () => {
    const fetch = stubFetch([200, summary()]);
    render(<Widget config={config()} />);
    await waitFor(() => expect(launcher().textContent).toBe("Rewards 1,200 points"));
    expect(screen.queryByRole("dialog")).toBeNull();
    fireEvent.click(launcher());
    expect(screen.getByRole("dialog").textContent).toContain("Available points");
    await new Promise((r) => setTimeout(r, 20));
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("page mode reserves its space with a skeleton before the data arrives", async () => {
    stubFetch([200, summary()]);
    const { container } = render(<Widget config={config({ mode: "page" })} />);
    expect(container.querySelector(".tsumiki-page .tsumiki-skeleton[aria-busy='true']")).not.toBeNull();
    expect(container.querySelector(".tsumiki-launcher")).toBeNull();
    await screen.findByText("Available points");
    expect(container.querySelector(".tsumiki-skeleton")).toBeNull();
  });

  it("unused codes: code, amount and expiry, with a copy button", async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
    const code = {
      code: "TSU-OLD1",
      rewardName: "Small",
      points: 500,
      amountMinor: 500,
      expiresAt: "2026-05-01T12:00:00Z",
    };
    stubFetch([200, summary({ codes: [code] })]);
    render(<Widget config={config({ mode: "page" })} />);
    await screen.findByText("TSU-OLD1");
    expect(text()).toContain("¥500 off · expires May 1, 2026");
    fireEvent.click(screen.getByRole("button", { name: "Copy TSU-OLD1" }));
    await screen.findByText("Copied", { selector: "button" });
    expect(writeText).toHaveBeenCalledWith("TSU-OLD1");
  });
});

describe("languages and currencies", () => {
  it("Japanese: Japanese text, yen without decimals", async () => {
    stubFetch([200, summary()]);
    render(<Widget config={config({ locale: "ja", mode: "page" })} />);
    await screen.findByText("利用可能ポイント");
    expect(text()).toMatch(/Goldまであと[¥￥]3,200(?![.\d])/);
    expect(text()).toContain("1ポイント");
    expect(text()).toMatch(/[¥￥]100ごとに1ポイント/);
    expect(text()).not.toMatch(/3,200\.00/);
  });

  it("Japanese: points are temporarily unavailable", async () => {
    stubFetch([503, { error: "Points are temporarily unavailable; try again in a minute.", code: "unavailable" }]);
    render(<Widget config={config({ locale: "ja", mode: "page" })} />);
    expect((await screen.findByRole("alert")).textContent).toBe("ポイントは一時的に利用できません。");
  });

  it("USD: two decimals from the currency's minor unit", async () => {
    stubFetch([200, summary({ program: program({ currency: "USD" }) })]);
    render(<Widget config={config({ currency: "USD", mode: "page" })} />);
    await screen.findByText("$32.00 more to Gold");
    expect(text()).toContain("$5.00 off");
    expect(text()).toContain("1 point per $1.00");
  });
});
