/** @jsxImportSource preact */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { PointsPage } from "./PointsPage";

export default async () => {
  render(<PointsPage />, document.body);
};
