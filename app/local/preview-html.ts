// Pieces of the local storefront preview's pages (the storefront and its cart), written once.

import { escapeHtml } from "../shared/html";

export { escapeHtml };

/**
 * The widget's mount element exactly as the theme app embed renders it: its proxy is /local/apps/tsumiki, which signs
 * requests as Shopify's app proxy does, and logging in or registering returns to `pageUrl`.
 */
export function widgetEmbed(options: {
  mode: "launcher" | "page";
  locale: string;
  loggedIn: boolean;
  pageUrl: string;
  /** The storefront's root, when the page is not at the shop's root (the cart's /cart.js is below it). */
  root?: string;
}): string {
  return `<div
    data-tsumiki-widget
    data-mode="${options.mode}"
    data-proxy="/local/apps/tsumiki"${options.root ? `\n    data-root="${options.root}"` : ""}
    data-locale="${options.locale}"
    data-currency="JPY"
    data-logged-in="${options.loggedIn ? "true" : "false"}"
    data-login-url="${options.pageUrl}"
    data-register-url="${options.pageUrl}"
    data-position="bottom-right"
    data-color="#1a5f4a"
    data-text-color="#ffffff"
  ></div>`;
}
