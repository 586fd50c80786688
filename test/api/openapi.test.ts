import { Validator, type SpecData } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "../../app/api/openapi";
import { checkAgainstDocument } from "./openapi-check";
import { api, API_ROUTES } from "./support";

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const result = await new Validator().validate(structuredClone(openApiDocument) as unknown as SpecData);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("describes every API route, and is served at /api/v1/openapi.json", async () => {
    for (const route of Object.values(API_ROUTES)) {
      expect(openApiDocument.paths[route.path]?.[route.method.toLowerCase()]).toBeDefined();
    }
    const served = await api("openapi");
    expect(served.body).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
  });

  it("the check every API test makes fails an answer that does not match", () => {
    const member = { id: "m", customer_id: "1", points: { available: "many" } };
    expect(checkAgainstDocument("/members/{id}", "GET", 200, "application/json", { member })).not.toEqual([]);
    expect(checkAgainstDocument("/members/{id}", "GET", 418, "application/json", {})).not.toEqual([]);
    expect(checkAgainstDocument("/members/{id}", "GET", 404, "application/json", {})).not.toEqual([]);
    expect(checkAgainstDocument("/members", "DELETE", 200, "application/json", {})).not.toEqual([]);
    const notFound = { type: "https://tsumiki.app/problems/not-found", title: "Not found", status: 404 };
    expect(checkAgainstDocument("/members/{id}", "GET", 404, "application/problem+json", notFound)).toEqual([]);
  });
});
