/** @jsxImportSource preact */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { PointsRedemption } from "./PointsRedemption";

export default async () => {
  render(<PointsRedemption />, document.body);
};
