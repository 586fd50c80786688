// @vitest-environment jsdom
import { cleanup, screen, waitFor } from "@testing-library/preact";
import { render } from "preact";
import { afterEach, expect, it, vi } from "vitest";
import { readConfig } from "./config";
import { mount } from "./mount";
import { anonymous, stubFetch } from "./test-fixtures";

afterEach(() => {
  document.querySelectorAll("[data-tsumiki-widget]").forEach((el) => render(null, el));
  document.body.innerHTML = "";
  cleanup();
  vi.unstubAllGlobals();
});

const EMBED = `<div data-tsumiki-widget data-proxy="/ja/apps/tsumiki" data-locale="ja" data-currency="JPY"
  data-logged-in="false" data-login-url="/ja/account/login" data-register-url="/ja/account/register"
  data-position="bottom-left" data-color="#223344" data-text-color="#fafafa" data-mode="launcher"></div>`;

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
  document.body.innerHTML = EMBED + EMBED.replace('data-mode="launcher"', 'data-mode="page"');
  mount();
  mount();
  const [embed, page] = document.querySelectorAll<HTMLElement>(".tsumiki-root");
  expect(document.querySelectorAll(".tsumiki-root")).toHaveLength(2);
  expect(embed.classList).toContain("tsumiki-bottom-left");
  expect(embed.style.getPropertyValue("--tsumiki-color")).toBe("#223344");
  expect(embed.style.getPropertyValue("--tsumiki-text")).toBe("#fafafa");
  expect(screen.getByRole("button", { name: "ポイント ポイントを貯める" })).toBeTruthy();
  expect(page.querySelector(".tsumiki-launcher")).toBeNull();

  // Only the page block asks, the anonymous launcher waits until it is opened.
  await waitFor(() => expect(page.textContent).toContain("ログイン"));
  expect(fetch).toHaveBeenCalledTimes(1);
  expect(String(fetch.mock.calls[0][0])).toBe("/ja/apps/tsumiki/summary");
});
