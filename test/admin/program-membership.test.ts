import { beforeEach, describe, expect, it } from "vitest";
import { defaultProgram } from "../../app/program/program";
import * as programRoute from "../../app/routes/app.program";
import { installShop } from "../support/fixtures";
import { callRoute } from "../support/routes";
import { adminRequest } from "../support/shopify";

const save = (settings: unknown) =>
  callRoute(programRoute, "action", adminRequest("POST", "/app/program", { settings })) as Promise<Response>;

describe("membership on the program page", () => {
  beforeEach(async () => {
    await installShop();
  });

  it("shows today's behaviour until the merchant chooses, then saves a members-join program", async () => {
    const page = (await callRoute(programRoute, "loader", adminRequest("GET", "/app/program"))) as {
      settings: { membership: unknown };
    };
    expect(page.settings.membership).toEqual({ mode: "all", termsVersion: "1", termsUrl: null, onLeave: "keep" });
    const membership = {
      mode: "join",
      termsVersion: "2026-12",
      termsUrl: "https://shop.example/terms",
      onLeave: "forfeit",
    };
    const saved = await save({ ...defaultProgram("JPY"), membership });
    expect(await saved.json()).toEqual({ version: 2 });
    const after = (await callRoute(programRoute, "loader", adminRequest("GET", "/app/program"))) as {
      settings: { membership: unknown };
      summary: string[];
    };
    expect(after.settings.membership).toEqual(membership);
    expect(after.summary.join(" ")).toContain("Customers become members by joining and accepting the terms");
  });

  it("refuses an insecure terms link with a message beside the field, and saves nothing", async () => {
    const response = await save({
      ...defaultProgram("JPY"),
      membership: { mode: "join", termsVersion: "2", termsUrl: "http://shop.example/terms", onLeave: "keep" },
    });
    expect(await response.json()).toMatchObject({
      errors: { "membership.termsUrl": "The terms link must be an https:// address, or empty." },
    });
  });
});
