/** @jsxImportSource preact */
// The panel script's entry (a second IIFE, `tsumiki-widget.panel.js`): Preact and everything the open launcher or
// the page block shows. The loader loads it when the shopper opens the launcher, or at once for the page block.
import { render as renderPreact } from "preact";
import type { Handover } from "./mount";
import { Widget } from "./Widget";

/** Replaces what the loader drew in `el` (the launcher, or the page block's skeleton) with the whole widget. */
export function render(el: HTMLElement, { config, api, summary, open }: Handover): void {
  el.textContent = "";
  renderPreact(<Widget config={config} api={api} summary={summary} open={open} />, el);
}

/** What the panel script exports, as the loader finds it (`window[PANEL_GLOBAL]`). */
export interface Panel {
  render: typeof render;
}
