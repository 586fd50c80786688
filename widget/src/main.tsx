/** @jsxImportSource preact */
import { render } from "preact";
import { readConfig } from "./config";
import { Widget } from "./Widget";
import "./widget.css";

/** Mounts a widget into every `<div data-tsumiki-widget>` not mounted yet. */
export function mount(): void {
  document.querySelectorAll<HTMLElement>("[data-tsumiki-widget]").forEach((el) => {
    if (el.dataset.tsumikiMounted) return;
    el.dataset.tsumikiMounted = "true";
    render(<Widget config={readConfig(el)} />, el);
  });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
else mount();
// The theme editor re-renders sections in place: mount into the new markup.
document.addEventListener("shopify:section:load", mount);
