import { describe, expect, it } from "vitest";
import { readConfig } from "./config.server";

describe("configuration from the environment", () => {
  it("names every missing variable at once", () => {
    expect(() => readConfig({ SHOPIFY_API_KEY: "k" })).toThrow(
      /missing environment variables SHOPIFY_API_SECRET, SHOPIFY_APP_URL, SCOPES/,
    );
  });

  it("rejects an app URL that is not a URL", () => {
    expect(() =>
      readConfig({ SHOPIFY_API_KEY: "k", SHOPIFY_API_SECRET: "s", SHOPIFY_APP_URL: "nope", SCOPES: "read_orders" }),
    ).toThrow(/not a URL/);
  });

  it("reads scopes as a list", () => {
    const config = readConfig({
      SHOPIFY_API_KEY: "k",
      SHOPIFY_API_SECRET: "s",
      SHOPIFY_APP_URL: "https://a.example/",
      SCOPES: "read_orders, write_discounts",
    });
    expect(config).toEqual({
      apiKey: "k",
      apiSecret: "s",
      appUrl: "https://a.example",
      scopes: ["read_orders", "write_discounts"],
    });
  });
});
