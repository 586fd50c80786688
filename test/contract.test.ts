import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RESERVATION_ATTRIBUTE as EXTENSION_ATTRIBUTE } from "../extensions/checkout-points/src/PointsRedemption";
import {
  APP_NAMESPACE,
  FUNCTION_CONFIGURATION_KEY,
  POINTS_FUNCTION_HANDLE,
  RESERVATION_ATTRIBUTE,
  RESERVATION_KEY,
} from "../app/shopify/contract";

// The app, the Function and the checkout extension ship separately; these names must agree.
describe("the redemption contract", () => {
  const query = readFileSync("extensions/points-discount/src/cart_lines_discounts_generate_run.graphql", "utf8");
  const toml = readFileSync("extensions/points-discount/shopify.extension.toml", "utf8");

  it("the Function reads the metafields and the cart attribute the app and the extension write", () => {
    expect(query).toContain(`metafield(namespace: "${APP_NAMESPACE}", key: "${RESERVATION_KEY}")`);
    expect(query).toContain(`metafield(namespace: "${APP_NAMESPACE}", key: "${FUNCTION_CONFIGURATION_KEY}")`);
    expect(query).toContain(`attribute(key: "${RESERVATION_ATTRIBUTE}")`);
    expect(EXTENSION_ATTRIBUTE).toBe(RESERVATION_ATTRIBUTE);
  });

  it("the discount the app creates names the Function by its handle", () => {
    expect(toml).toContain(`handle = "${POINTS_FUNCTION_HANDLE}"`);
  });
});
