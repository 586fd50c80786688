/** @jsxImportSource preact */
import { render } from "preact";
import { readConfig } from "./config";
import { Widget } from "./Widget";

/** Mounts a widget into every `<div data-tsumiki-widget>` not mounted yet. */
export function mount(): void {
  document.querySelectorAll<HTMLElement>("[data-tsumiki-widget]").forEach((el) => {
    if (el.dataset.tsumikiMounted) return;
    el.dataset.tsumikiMounted = "true";
    render(<Widget config={readConfig(el)} />, el);
  });
}
