/** @jsxImportSource preact */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { ThankYouPoints } from "./ThankYouPoints";

export default async () => {
  render(<ThankYouPoints />, document.body);
};
