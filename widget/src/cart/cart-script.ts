// The cart script (`tsumiki-cart.js`, an IIFE of its own, loaded only on the cart page: by the "Pay with points"
// app block, or by the loader when the launcher is opened there). It draws every cart block, and puts the same block
// at the top of the widget's open panel, so neither the loader nor the panel carries any of the cart's code.
import { readConfig } from "../config";
import { cartBlock, type CartConfig } from "./cart-block";

/** The global the cart script defines: the loader checks it so the script is never loaded twice. */
export const CART_GLOBAL = "TsumikiCart";

function cartConfig(d: DOMStringMap): CartConfig {
  return {
    proxy: d.proxy || "/apps/tsumiki",
    locale: d.locale || "en",
    currency: d.currency || "USD",
    loggedIn: d.loggedIn == "true",
    loginUrl: d.loginUrl || "/account/login",
    root: d.root || "/",
    color: /^#[0-9a-f]{3,8}$/i.test(d.color || "") ? d.color : undefined,
  };
}

/** Draws each `<div data-tsumiki-cart>` not drawn yet. */
export function mountCartBlocks(): void {
  document.querySelectorAll<HTMLElement>("[data-tsumiki-cart]").forEach((el) => {
    if (el.dataset.tsumikiMounted) return;
    el.dataset.tsumikiMounted = "true";
    cartBlock(el, cartConfig(el.dataset));
  });
}

/**
 * Puts a cart block at the top of each open member panel of the widget that has none. The panel is Preact's; a node
 * it did not create is left where it is by its re-renders, and goes with the panel when it closes.
 */
export function offerInPanels(): void {
  document.querySelectorAll<HTMLElement>("[data-tsumiki-widget]").forEach((widget) => {
    const panel = widget.querySelector<HTMLElement>(".tsumiki-panel:not(.tsumiki-skeleton)");
    const config = readConfig(widget);
    if (!panel || !config.loggedIn || panel.querySelector(".tsumiki-cart-slot")) return;
    const slot = document.createElement("div");
    slot.className = "tsumiki-cart-slot";
    panel.prepend(slot);
    cartBlock(slot, { ...config, root: widget.dataset.root || "/" });
  });
}

function run(): void {
  mountCartBlocks();
  offerInPanels();
  new MutationObserver(offerInPanels).observe(document.body, { childList: true, subtree: true });
}

(window as unknown as Record<string, unknown>)[CART_GLOBAL] = { mountCartBlocks, offerInPanels };
if (document.readyState == "loading") document.addEventListener("DOMContentLoaded", run);
else run();
document.addEventListener("shopify:section:load", mountCartBlocks);
