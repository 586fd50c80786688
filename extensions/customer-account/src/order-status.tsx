/** @jsxImportSource preact */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { OrderPointsBlock } from "./OrderPoints";

export default async () => {
  render(<OrderPointsBlock />, document.body);
};
