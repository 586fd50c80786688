// @vitest-environment jsdom
/** @jsxImportSource preact */
import { cleanup, fireEvent, render as renderWidget, screen, waitFor } from "@testing-library/preact";
import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PANEL_GLOBAL, readConfig } from "./config";
import { mount, panelUrl, scriptPanel, type LoadPanel } from "./mount";
import * as panel from "./panel-script";
import { anonymous, config, stubFetch, summary } from "./test-fixtures";
import { Widget } from "./Widget";

afterEach(() => {
  document.querySelectorAll("[data-tsumiki-widget]").forEach((el) => render(null, el));
  document.body.innerHTML = "";
  document.head.innerHTML = "";
  delete (window as unknown as Record<string, unknown>)[PANEL_GLOBAL];
  cleanup();
  vi.unstubAllGlobals();
});

const EMBED = `<div data-tsumiki-widget data-proxy="/ja/apps/tsumiki" data-locale="ja" data-currency="JPY"
  data-logged-in="false" data-login-url="/ja/account/login" data-register-url="/ja/account/register"
  data-position="bottom-left" data-color="#223344" data-text-color="#fafafa" data-mode="launcher"></div>`;

// The app embed for a logged-in shopper in English, with the settings of the test fixtures' config().
const MEMBER_EMBED = `<div data-tsumiki-widget data-proxy="/apps/tsumiki" data-locale="en" data-currency="JPY"
  data-logged-in="true" data-position="bottom-right" data-color="#1a5f4a" data-text-color="#ffffff"
  data-mode="launcher"></div>`;

/** The panel script, already loaded (the tests of `scriptPanel` load it through a script element). */
const loaded = () => vi.fn<LoadPanel>(() => Promise.resolve(panel));
/** A panel script that never arrives: what the shopper sees before it does. */
const pending = () => vi.fn<LoadPanel>(() => new Promise(() => {}));

const launcher = () => screen.getByRole("button", { name: /^Rewards/ });
const live = () => document.querySelector("[aria-live='polite']")!;

it("reads the mount contract from the data attributes", () => {
  document.body.innerHTML = EMBED;
  expect(readConfig(document.querySelector("[data-tsumiki-widget]")!)).toEqual({
    proxy: "/ja/apps/tsumiki",
    locale: "ja",
    currency: "JPY",
    loggedIn: false,
    loginUrl: "/ja/account/login",
    registerUrl: "/ja/account/register",
    position: "bottom-left",
    mode: "launcher",
    color: "#223344",
    textColor: "#fafafa",
  });
  document.body.innerHTML = `<div data-tsumiki-widget data-color="red;background:url(x)"></div>`;
  const defaults = readConfig(document.querySelector("[data-tsumiki-widget]")!);
  expect(defaults).toMatchObject({ proxy: "/apps/tsumiki", mode: "launcher", position: "bottom-right" });
  expect(defaults.color).toBe("#1a5f4a");
});

it("mounts once into every widget div: a launcher with the theme's colours, and an inline page", async () => {
  const fetch = stubFetch([200, anonymous()]);
  const load = loaded();
  document.body.innerHTML = EMBED + EMBED.replace('data-mode="launcher"', 'data-mode="page"');
  mount(load);
  mount(load);
  const [embed, page] = document.querySelectorAll<HTMLElement>(".tsumiki-root");
  expect(document.querySelectorAll(".tsumiki-root")).toHaveLength(2);
  expect(embed.classList).toContain("tsumiki-bottom-left");
  expect(embed.style.getPropertyValue("--tsumiki-color")).toBe("#223344");
  expect(embed.style.getPropertyValue("--tsumiki-text")).toBe("#fafafa");
  expect(screen.getByRole("button", { name: "ポイント ポイントを貯める" })).toBeTruthy();
  expect(page.querySelector(".tsumiki-launcher")).toBeNull();

  // Only the page block asks, the anonymous launcher waits until it is opened; the page block loads the panel now.
  await waitFor(() => expect(document.querySelectorAll(".tsumiki-root")[1].textContent).toContain("ログイン"));
  expect(fetch).toHaveBeenCalledTimes(1);
  expect(String(fetch.mock.calls[0][0])).toBe("/ja/apps/tsumiki/summary");
  expect(load).toHaveBeenCalledTimes(1);
  expect(document.querySelectorAll(".tsumiki-root")).toHaveLength(2);
});

describe("the loader and the panel script", () => {
  it("opening the launcher loads the panel, once, with the summary fetched on load; focus goes in and back", async () => {
    const fetch = stubFetch([200, summary()]);
    const load = loaded();
    document.body.innerHTML = MEMBER_EMBED;
    mount(load);
    await waitFor(() => expect(launcher().textContent).toBe("Rewards 1,200 points"));
    expect(load).not.toHaveBeenCalled();
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(launcher().getAttribute("aria-expanded")).toBe("false");

    launcher().focus();
    fireEvent.click(launcher());
    fireEvent.click(launcher()); // a second click while the panel is on its way loads nothing more
    expect(load).toHaveBeenCalledTimes(1);
    const dialog = await screen.findByRole("dialog", { name: "Rewards" });
    expect(dialog.textContent).toContain("Available points");
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Close" }));
    expect(launcher().getAttribute("aria-expanded")).toBe("true");
    expect(document.querySelectorAll(".tsumiki-launcher")).toHaveLength(1);
    expect(document.querySelectorAll("[aria-live='polite']")).toHaveLength(1);

    fireEvent.keyDown(document.activeElement!, { key: "Escape" });
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(document.activeElement).toBe(launcher());
    fireEvent.click(launcher());
    expect(screen.getByRole("dialog")).toBeTruthy();
    expect(load).toHaveBeenCalledTimes(1);
    expect(fetch).toHaveBeenCalledTimes(1); // the summary sent on load, handed to the panel
  });

  it("anonymous: nothing is fetched or loaded before the launcher opens, then the summary and the panel together", async () => {
    const fetch = stubFetch([200, anonymous()]);
    const load = loaded();
    document.body.innerHTML = MEMBER_EMBED.replace('data-logged-in="true"', 'data-logged-in="false"');
    mount(load);
    await new Promise((r) => setTimeout(r, 20));
    expect(fetch).not.toHaveBeenCalled();
    expect(load).not.toHaveBeenCalled();
    expect(launcher().textContent).toBe("Rewards Earn points");

    fireEvent.click(launcher());
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(load).toHaveBeenCalledTimes(1);
    await screen.findByRole("link", { name: "Log in" });
    expect(screen.getByRole("dialog", { name: "Rewards" }).contains(document.activeElement)).toBe(true);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("loads the panel script from beside the loader's own URL; a failed load is said and tried again", async () => {
    const fetch = stubFetch([200, summary()]);
    const src = "https://cdn.shopify.com/extensions/0199a1b2/tsumiki-12/assets/tsumiki-widget.js?v=1700000000";
    const scripts = () => [...document.head.querySelectorAll("script")];
    document.body.innerHTML = MEMBER_EMBED;
    mount(scriptPanel(src));
    await waitFor(() => expect(launcher().textContent).toBe("Rewards 1,200 points"));
    expect(scripts()).toHaveLength(0);

    fireEvent.click(launcher());
    expect(scripts().map((s) => s.src)).toEqual([
      "https://cdn.shopify.com/extensions/0199a1b2/tsumiki-12/assets/tsumiki-widget.panel.js?v=1700000000",
    ]);
    expect(launcher().getAttribute("aria-busy")).toBe("true");
    scripts()[0].dispatchEvent(new Event("error"));
    await waitFor(() => expect(live().textContent).toBe("We couldn't load your points."));
    expect(launcher().getAttribute("aria-busy")).toBeNull();
    expect(scripts()).toHaveLength(0);

    fireEvent.click(launcher());
    expect(scripts()).toHaveLength(1);
    (window as unknown as Record<string, unknown>)[PANEL_GLOBAL] = panel; // what the panel's IIFE defines
    scripts()[0].dispatchEvent(new Event("load"));
    const dialog = await screen.findByRole("dialog", { name: "Rewards" });
    expect(dialog.textContent).toContain("Available points");
    expect(fetch).toHaveBeenCalledTimes(1);

    expect(panelUrl("/local/assets/tsumiki-widget.js")).toBe(
      new URL("/local/assets/tsumiki-widget.panel.js", document.baseURI).href,
    );
  });

  it("the page block whose panel fails to load shows the error in place of the skeleton", async () => {
    stubFetch([200, summary()]);
    document.body.innerHTML = MEMBER_EMBED.replace('data-mode="launcher"', 'data-mode="page"');
    mount(() => Promise.reject(new Error("offline")));
    expect((await screen.findByRole("alert")).textContent).toBe("We couldn't load your points.");
    expect(document.querySelector(".tsumiki-skeleton")).toBeNull();
    expect(document.querySelector(".tsumiki-page")).not.toBeNull(); // its height still reserved
  });
});

/** An element's tag, attributes (in any order) and children: what the browser and a screen reader get. */
function shape(node: Node): string {
  if (!(node instanceof Element)) return node.textContent ?? "";
  const attributes = [...node.attributes].map((a) => ` ${a.name}="${a.value}"`).sort();
  return `<${node.localName}${attributes.join("")}>${[...node.childNodes].map(shape).join("")}</${node.localName}>`;
}

/** The root as the shopper sees it closed: without the panel's hidden dialog, which the loader does not draw. */
function closed(root: Element): string {
  const copy = root.cloneNode(true) as Element;
  copy.querySelector(".tsumiki-dialog")?.remove();
  return shape(copy);
}

describe("the loader draws what the panel's Widget draws before it is opened", () => {
  it.each([
    ["a member's balance", MEMBER_EMBED, config(), summary()],
    ["a member's balance loading", MEMBER_EMBED, config(), null],
    ["a visitor, in Japanese", EMBED, config({ loggedIn: false, locale: "ja", position: "bottom-left" }), anonymous()],
    ["the page block's skeleton", MEMBER_EMBED.replace("launcher", "page"), config({ mode: "page" }), null],
  ] as const)("%s", async (_, html, settings, answer) => {
    const colours = settings.locale == "ja" ? { color: "#223344", textColor: "#fafafa" } : {};
    const settle = () => new Promise((r) => setTimeout(r, 20));
    if (answer) stubFetch([200, answer]);
    else
      vi.stubGlobal(
        "fetch",
        vi.fn(() => new Promise(() => {})),
      );
    document.body.innerHTML = html;
    mount(pending());
    await settle();
    const loader = closed(document.querySelector(".tsumiki-root")!);
    document.body.innerHTML = "";

    if (answer) stubFetch([200, answer]);
    const { container } = renderWidget(<Widget config={{ ...settings, ...colours }} />);
    await settle();
    expect(loader).toBe(closed(container.querySelector(".tsumiki-root")!));
    if (answer?.member) expect(loader).toContain("1,200 points");
  });
});
