import { existsSync, readFileSync } from "node:fs";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { API_VERSION } from "./support/shopify";
import { webhookRoutes } from "./support/routes";

interface Subscription {
  topics?: string[];
  compliance_topics?: string[];
  uri: string;
}
const config = parse(readFileSync("shopify.app.toml", "utf8")) as unknown as {
  webhooks: { api_version: string; subscriptions: Subscription[] };
  app_proxy: { url: string; prefix: string; subpath: string };
};

describe("shopify.app.toml", () => {
  it("subscribes at the API version whose documented payloads the tests use", () => {
    expect(config.webhooks.api_version).toBe(API_VERSION);
  });

  it("every subscription points at the route that handles it, and every webhook route is subscribed", () => {
    const subscribed = config.webhooks.subscriptions.flatMap((s) =>
      [...(s.topics ?? []), ...(s.compliance_topics ?? [])].map((topic) => ({ topic, uri: s.uri })),
    );
    for (const { topic, uri } of subscribed) {
      // Event topics ("customer.tags_added") have a dot where the others have a slash: both are a path segment.
      const path = topic.replace(".", "/");
      expect(uri).toBe(`/webhooks/${path}`);
      expect(existsSync(`app/routes/webhooks.${path.replace("/", ".")}.tsx`)).toBe(true);
    }
    expect(subscribed.map((s) => s.topic).sort()).toEqual(Object.keys(webhookRoutes).sort());
  });

  it("declares the mandatory privacy topics as compliance topics", () => {
    const compliance = config.webhooks.subscriptions.flatMap((s) => s.compliance_topics ?? []);
    expect(compliance.sort()).toEqual(["customers/data_request", "customers/redact", "shop/redact"]);
  });

  it("routes the app proxy /apps/tsumiki to the app's /proxy routes", () => {
    expect(config.app_proxy).toMatchObject({ prefix: "apps", subpath: "tsumiki" });
    expect(new URL(config.app_proxy.url).pathname).toBe("/proxy");
  });
});
