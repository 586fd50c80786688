// The loader's work, without Preact: draw each widget's closed state and load the panel script when it is needed.
import type { StorefrontSummary } from "../../app/storefront/storefront-api";
import { createApi, type Api } from "./api";
import { PANEL_FILE, PANEL_GLOBAL, readConfig, type Config } from "./config";
import { launcherBadge, launcherMessages, translate } from "./i18n";
import type { Panel } from "./panel-script";

/** What the loader hands the panel for one element. */
export interface Handover {
  config: Config;
  api: Api;
  /** The summary request, when one is out: on load for a member or the page block, or sent on opening. */
  summary?: Promise<StorefrontSummary>;
  /** The shopper opened the launcher. */
  open?: boolean;
}

export type LoadPanel = () => Promise<Panel>;

/** The panel script's URL: beside the loader's own (theme assets are on Shopify's CDN), with the same query. */
export function panelUrl(loaderSrc: string): string {
  const url = new URL(loaderSrc, document.baseURI);
  url.pathname = url.pathname.replace(/[^/]*$/, PANEL_FILE);
  return url.href;
}

/**
 * Loads the panel script from beside the loader (a classic script, as the theme's own), once; after a failure the
 * next call tries again.
 */
export function scriptPanel(loaderSrc: string): LoadPanel {
  let panel: Promise<Panel> | undefined;
  return () =>
    (panel ||= new Promise<Panel>((resolve, reject) => {
      const script = document.createElement("script");
      const fail = () => {
        script.remove();
        panel = undefined;
        reject(new Error("The panel script did not load"));
      };
      script.src = panelUrl(loaderSrc);
      script.onerror = fail;
      script.onload = () => {
        const loaded = (window as unknown as Record<string, Panel | undefined>)[PANEL_GLOBAL];
        if (loaded) resolve(loaded);
        else fail();
      };
      document.head.appendChild(script);
    }));
}

/** An element with these attributes and children. */
function node(tag: string, attributes: Record<string, string>, ...children: Array<Node | string>): HTMLElement {
  const el = document.createElement(tag);
  for (const name in attributes) el.setAttribute(name, attributes[name]);
  el.append(...children);
  return el;
}

/**
 * Draws one widget as the panel's Widget draws it before anything is opened (the parity is tested): the launcher
 * with its balance, or the page block's skeleton. A member's and the page block's summary request goes out now;
 * opening the launcher (or the page block, at once) loads the panel, which replaces this with the whole widget.
 */
function start(el: HTMLElement, load: LoadPanel): void {
  const config = readConfig(el);
  const api = createApi(config.proxy);
  const t = translate(launcherMessages, config.locale);
  const page = config.mode == "page";
  const handover: Handover = { config, api, summary: page || config.loggedIn ? api.summary() : undefined };
  const num = new Intl.NumberFormat(config.locale).format;
  const said = node("div", { class: "tsumiki-sr", "aria-live": "polite" });
  const badge = node("span", {}, launcherBadge(t, num, config.loggedIn));
  const launcher = node(
    "button",
    {
      type: "button",
      class: "tsumiki-launcher",
      "aria-haspopup": "dialog",
      "aria-expanded": "false",
      "aria-controls": "tsumiki-" + config.position,
    },
    node("span", { class: "tsumiki-launcher-name" }, t("title")),
    " ",
    badge,
  );
  const skeleton = node(
    "div",
    { class: "tsumiki-panel tsumiki-skeleton", "aria-busy": "true" },
    node("span", { class: "tsumiki-sr" }, t("loading")),
    ...[1, 2, 3, 4].map(() => node("i", {})),
  );
  const root = node(
    "div",
    { class: `tsumiki-root tsumiki-${page ? "page" : "embed"} tsumiki-${config.position}` },
    page ? skeleton : launcher,
    said,
  );
  root.style.setProperty("--tsumiki-color", config.color);
  root.style.setProperty("--tsumiki-text", config.textColor);
  el.appendChild(root);

  const takeOver = () =>
    load().then(
      (panel) => panel.render(el, handover),
      () => {
        // Said, and shown in the page block; the launcher tries again on the next click.
        said.textContent = t("loadError");
        launcher.removeAttribute("aria-busy");
        if (page) skeleton.replaceWith(node("p", { role: "alert", class: "tsumiki-error" }, t("loadError")));
      },
    );

  if (page) {
    takeOver();
    return;
  }
  handover.summary?.then(
    (summary) => (badge.textContent = launcherBadge(t, num, config.loggedIn, summary)),
    () => {},
  );
  launcher.onclick = () => {
    if (launcher.getAttribute("aria-busy")) return;
    launcher.setAttribute("aria-busy", "true");
    handover.open = true;
    handover.summary ||= api.summary();
    takeOver();
  };
}

/** Draws a widget into every `<div data-tsumiki-widget>` not drawn yet; `load` brings the panel when it is needed. */
export function mount(load: LoadPanel): void {
  document.querySelectorAll<HTMLElement>("[data-tsumiki-widget]").forEach((el) => {
    if (el.dataset.tsumikiMounted) return;
    el.dataset.tsumikiMounted = "true";
    start(el, load);
  });
}
