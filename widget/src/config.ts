/** The panel script, built beside the loader (`tsumiki-widget.js`) in the theme extension's assets. */
export const PANEL_FILE = "tsumiki-widget.panel.js";
/** The global the panel script defines (an IIFE's `var`): what the loader renders the open widget with. */
export const PANEL_GLOBAL = "TsumikiWidgetPanel";

/** What the theme tells the widget through the mount element's data attributes. */
export interface Config {
  proxy: string;
  locale: string;
  currency: string;
  loggedIn: boolean;
  loginUrl: string;
  registerUrl: string;
  position: "bottom-right" | "bottom-left";
  mode: "launcher" | "page";
  /** Launcher and button background (also the accent on the white panel), and the text on it. */
  color: string;
  textColor: string;
}

const hex = (value: string | undefined, fallback: string) =>
  /^#[0-9a-f]{3,8}$/i.test(value || "") ? value! : fallback;

export function readConfig(el: HTMLElement): Config {
  const d = el.dataset;
  return {
    proxy: (d.proxy || "/apps/tsumiki").replace(/\/$/, ""),
    locale: d.locale || "en",
    currency: d.currency || "USD",
    loggedIn: d.loggedIn == "true",
    loginUrl: d.loginUrl || "/account/login",
    registerUrl: d.registerUrl || "/account/register",
    position: d.position == "bottom-left" ? "bottom-left" : "bottom-right",
    mode: d.mode == "page" ? "page" : "launcher",
    color: hex(d.color, "#1a5f4a"),
    textColor: hex(d.textColor, "#ffffff"),
  };
}
