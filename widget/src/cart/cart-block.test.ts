// @vitest-environment jsdom
import { fireEvent, screen, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { CartPointsState } from "../../../app/storefront/cart-points-api";
import { cartBlock, type CartConfig } from "./cart-block";
import { CART_FILE, loadCartScript, onCartPage } from "./cart-loader";
import { cartSubtotalMinor, maxCartPoints } from "./cart-points";

afterEach(() => {
  document.body.innerHTML = "";
  document.head.innerHTML = "";
  vi.unstubAllGlobals();
});

const STATE: CartPointsState = {
  enabled: true,
  loggedIn: true,
  balance: 1000,
  currency: "JPY",
  pointValueMinor: 1,
  minPoints: 100,
  step: 100,
  maxShareBasisPoints: 5000,
  reservation: null,
  attribute: "_tsumiki_reservation",
};

const HELD = { points: 500, amountMinor: 500, nonce: "nonce-1", expiresAt: "2026-11-30T10:30:00Z" };

interface Call {
  method: string;
  url: string;
  body: unknown;
}

/** A storefront: the app proxy's cart-points and the Cart AJAX API, recording every call. */
function storefront(options: { state?: CartPointsState; reserve?: [number, unknown]; subtotal?: number } = {}) {
  let state = options.state ?? STATE;
  const attributes: Record<string, string> = {};
  if (state.reservation) attributes[state.attribute] = state.reservation.nonce;
  const calls: Call[] = [];
  const answer = (status: number, body: unknown) => Promise.resolve(Response.json(body, { status }));
  vi.stubGlobal("fetch", (url: string, init: RequestInit = {}) => {
    const method = init.method ?? "GET";
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ method, url, body });
    if (url == "/cart.js") return answer(200, { items_subtotal_price: (options.subtotal ?? 1000) * 100, attributes });
    if (url == "/cart/update.js") {
      Object.assign(attributes, (body as { attributes: Record<string, string> }).attributes);
      return answer(200, { attributes });
    }
    if (method == "GET") return answer(200, state);
    if ((body as { release?: boolean } | undefined)?.release) {
      state = { ...state, reservation: null };
      return answer(200, { reservation: null, balance: state.balance, attribute: state.attribute });
    }
    const [status, result] = options.reserve ?? [200, { reservation: HELD, balance: 1000, attribute: STATE.attribute }];
    if (status == 200) state = { ...state, reservation: HELD };
    return answer(status, result);
  });
  return { calls, attributes };
}

function draw(config: Partial<CartConfig> = {}) {
  const el = document.createElement("div");
  document.body.append(el);
  cartBlock(el, {
    proxy: "/apps/tsumiki",
    locale: "en",
    currency: "JPY",
    loggedIn: true,
    loginUrl: "/account/login",
    root: "/",
    ...config,
  });
  return el;
}

describe("the cart page's Pay with points block", () => {
  it("asks a visitor to log in, and asks the app nothing", () => {
    const { calls } = storefront();
    draw({ loggedIn: false, locale: "ja", loginUrl: "/ja/account/login" });
    expect(screen.getByText("ポイントで支払う")).toBeTruthy();
    expect(screen.getByRole("link", { name: "ログイン" }).getAttribute("href")).toBe("/ja/account/login");
    expect(calls).toHaveLength(0);
  });

  it("offers up to half of a ¥1,000 cart; using 500 points holds them and puts the nonce on the cart", async () => {
    const { calls, attributes } = storefront();
    draw();
    const field = (await screen.findByLabelText("Points to use")) as HTMLInputElement;
    expect(screen.getByText("You have 1,000 points.")).toBeTruthy();
    expect(screen.getByText("100 to 500 points, in steps of 100")).toBeTruthy();
    expect([field.min, field.max, field.step, field.value]).toEqual(["100", "500", "100", "500"]);
    fireEvent.click(screen.getByRole("button", { name: "Use points" }));
    await screen.findByText("500 points (¥500 off) will be taken off at checkout.");
    // Said to a screen reader too, by the block the shopper used.
    await waitFor(() =>
      expect(document.querySelector("[aria-live]")!.textContent).toBe(
        "500 points (¥500 off) will be taken off at checkout.",
      ),
    );
    expect(calls.filter((c) => c.method == "POST")).toEqual([
      { method: "POST", url: "/apps/tsumiki/cart-points", body: { points: 500, subtotalMinor: 1000 } },
      { method: "POST", url: "/cart/update.js", body: { attributes: { _tsumiki_reservation: "nonce-1" } } },
    ]);
    expect(attributes).toEqual({ _tsumiki_reservation: "nonce-1" });
  });

  it("says in Japanese why the app refused, and leaves the cart alone", async () => {
    const { calls } = storefront({ reserve: [422, { error: "no", code: "insufficient_balance" }] });
    draw({ locale: "ja" });
    fireEvent.click(await screen.findByRole("button", { name: "ポイントを使う" }));
    expect((await screen.findByRole("alert")).textContent).toBe("ポイントが足りません。");
    expect(calls.some((c) => c.url == "/cart/update.js")).toBe(false);
  });

  it("a held reservation on this cart can be let go: released, and the attribute cleared", async () => {
    const { calls, attributes } = storefront({ state: { ...STATE, reservation: HELD } });
    draw();
    fireEvent.click(await screen.findByRole("button", { name: "Don't use points" }));
    await screen.findByLabelText("Points to use");
    expect(calls.filter((c) => c.method != "GET").map((c) => [c.method, c.url, c.body])).toEqual([
      ["POST", "/apps/tsumiki/cart-points", { release: true }],
      ["POST", "/cart/update.js", { attributes: { _tsumiki_reservation: "" } }],
    ]);
    expect(attributes._tsumiki_reservation).toBe("");
  });

  it("a reservation another cart holds is not shown as applied here", async () => {
    // The member holds points for a cart in another browser; this cart carries no nonce.
    const { attributes } = storefront({ state: { ...STATE, reservation: HELD } });
    delete attributes._tsumiki_reservation;
    draw();
    await screen.findByLabelText("Points to use");
    expect(screen.queryByText(/taken off at checkout/)).toBeNull();
  });

  it("says points are temporarily unavailable when the app cannot answer, and never blocks the purchase", async () => {
    vi.stubGlobal("fetch", () => Promise.resolve(Response.json({ code: "unavailable" }, { status: 503 })));
    draw();
    expect((await screen.findByRole("alert")).textContent).toBe(
      "Points are temporarily unavailable. You can still check out.",
    );
  });

  it("a cart too small for the minimum says from how many points they can be used", async () => {
    storefront({ subtotal: 150 });
    draw({ locale: "ja" });
    await screen.findByText("100ポイントからご利用いただけます。");
    expect(screen.queryByRole("button")).toBeNull();
  });
});

describe("the cart script's rules and loading", () => {
  it("limits points by balance, share of the subtotal and step; reads the AJAX cart's hundredths", () => {
    expect(maxCartPoints(STATE, 1000)).toBe(500);
    expect(maxCartPoints(STATE, 10_000)).toBe(1000);
    expect(maxCartPoints({ ...STATE, balance: 340 }, 10_000)).toBe(300);
    expect(maxCartPoints(STATE, 150)).toBe(0);
    expect(maxCartPoints({ ...STATE, enabled: false }, 10_000)).toBe(0);
    expect(cartSubtotalMinor({ items_subtotal_price: 1_000_000 }, 0)).toBe(10_000); // ¥10,000
    expect(cartSubtotalMinor({ total_price: 1250 }, 2)).toBe(1250); // $12.50
  });

  it("is loaded from beside the loader, once, only on the cart page", () => {
    expect(["/cart", "/ja/cart", "/cart/"].map(onCartPage)).toEqual([true, true, true]);
    expect(["/", "/products/cart-bag", "/cart/add"].map(onCartPage)).toEqual([false, false, false]);
    loadCartScript("https://cdn.shopify.com/extensions/abc/assets/tsumiki-widget.js?v=3");
    loadCartScript("https://cdn.shopify.com/extensions/abc/assets/tsumiki-widget.js?v=3");
    const scripts = document.querySelectorAll("script");
    expect(scripts).toHaveLength(1);
    expect(scripts[0].src).toBe(`https://cdn.shopify.com/extensions/abc/assets/${CART_FILE}?v=3`);
  });
});

describe("the widget's panel on the cart page", () => {
  it("gets the cart block at the top of an open member panel, not in a visitor's or a loading one", async () => {
    storefront();
    document.body.innerHTML = `
      <div data-tsumiki-widget data-logged-in="true" data-locale="en" data-currency="JPY"><div class="tsumiki-panel"><p>Balance</p></div></div>
      <div data-tsumiki-widget data-logged-in="true"><div class="tsumiki-panel tsumiki-skeleton"></div></div>
      <div data-tsumiki-widget data-logged-in="false"><div class="tsumiki-panel"></div></div>`;
    const { offerInPanels } = await import("./cart-script");
    offerInPanels();
    offerInPanels();
    const slots = document.querySelectorAll(".tsumiki-cart-slot");
    expect(slots).toHaveLength(1);
    expect(slots[0].parentElement!.firstElementChild).toBe(slots[0]);
    await waitFor(() => expect(screen.getByLabelText("Points to use")).toBeTruthy());
  });
});
