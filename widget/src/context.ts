import type { Widget } from "./Widget";

/** Legacy Preact context, handed to every function component as its second argument: the widget instance. */
export interface Ctx {
  w: Widget;
}
