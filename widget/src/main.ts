// The loader, the script the theme blocks load (`tsumiki-widget.js`, one deferred IIFE, at most 10,000 bytes as
// Shopify requires): draw every widget now, and again when the theme editor re-renders a section. The panel script
// (`tsumiki-widget.panel.js`) comes from beside it when a launcher is opened or a page block is drawn.
import { loadCartScript, onCartPage } from "./cart/cart-loader";
import { mount, scriptPanel } from "./mount";
import "./widget.css";

// Only while this script runs does the document say where it came from: Shopify's CDN, not the shop's domain.
const script =
  (document.currentScript as HTMLScriptElement | null) ||
  document.querySelector<HTMLScriptElement>('script[src*="tsumiki-widget.js"]');
const src = script ? script.src : "tsumiki-widget.js";
const panel = scriptPanel(src);
// On the cart page the open panel offers paying with points: the cart script comes with it there, and only there.
const load = onCartPage(location.pathname) ? () => (loadCartScript(src), panel()) : panel;
const run = () => mount(load);

if (document.readyState == "loading") document.addEventListener("DOMContentLoaded", run);
else run();
document.addEventListener("shopify:section:load", run);
