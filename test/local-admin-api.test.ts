import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { localAdminAnswer } from "../app/local/local-admin-api.server";
import { checkAgainstSchema } from "./support/admin-api";

/** Every Admin GraphQL document the app sends, by operation name, read from the module that sends them. */
function appOperations(): Map<string, string> {
  const source = readFileSync("app/shopify/admin-api.server.ts", "utf8");
  const documents = [...source.matchAll(/`#graphql\s*([\s\S]*?)`/g)].map((match) => match[1]);
  return new Map(documents.map((doc) => [/(?:query|mutation)\s+(\w+)/.exec(doc)![1], doc]));
}

const variables: Record<string, Record<string, unknown>> = {
  TsumikiWriteReservation: {
    metafields: [
      { ownerId: "gid://shopify/Customer/1", namespace: "$app", key: "reservation", type: "json", value: "{}" },
    ],
  },
  TsumikiCreatePointsDiscount: { discount: { title: "Tsumiki points", functionHandle: "points-discount" } },
  TsumikiDeleteReservation: {
    metafields: [{ ownerId: "gid://shopify/Customer/1", namespace: "$app", key: "reservation" }],
  },
  TsumikiCreateRewardCode: { discount: { code: "TSUMIKI-LOCAL1", title: "Reward" } },
  TsumikiRewardCodeUsage: { code: "TSUMIKI-LOCAL1" },
  TsumikiDeleteRewardCode: { id: "gid://shopify/DiscountCodeNode/1" },
  TsumikiCollectionProducts: { id: "gid://shopify/Collection/1" },
  TsumikiFindPointsDiscount: { query: "title:x" },
};

describe("the local-mode Admin API stand-in", () => {
  it("answers every operation the app makes, in the shapes of Shopify's 2026-07 schema", () => {
    const operations = appOperations();
    expect(operations.size).toBeGreaterThanOrEqual(10);
    for (const [name, document] of operations) {
      const answer = localAdminAnswer(name, variables[name] ?? {});
      expect(answer, name).not.toBeNull();
      expect(() => checkAgainstSchema(document, variables[name] ?? {}, answer), name).not.toThrow();
    }
  });

  it("remembers the reward codes it made, unused, until deleted", () => {
    const { discountCodeBasicCreate } = localAdminAnswer("TsumikiCreateRewardCode", {
      discount: { code: "TSUMIKI-LOCAL2" },
    }) as { discountCodeBasicCreate: { codeDiscountNode: { id: string } } };
    const id = discountCodeBasicCreate.codeDiscountNode.id;
    expect(localAdminAnswer("TsumikiRewardCodeUsage", { code: "TSUMIKI-LOCAL2" })).toMatchObject({
      codeDiscountNodeByCode: { id, codeDiscount: { asyncUsageCount: 0 } },
    });
    localAdminAnswer("TsumikiDeleteRewardCode", { id });
    expect(localAdminAnswer("TsumikiRewardCodeUsage", { code: "TSUMIKI-LOCAL2" })).toEqual({
      codeDiscountNodeByCode: null,
    });
  });
});
