import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { localAdminAnswer, localBulkResult } from "../app/local/local-admin-api.server";
import { PRODUCTS_BULK_QUERY } from "../app/earning/catalogue.server";
import { CUSTOMERS_BULK_QUERY } from "../app/sync/customers.server";
import { catchUpBulkQuery, historyBulkQuery } from "../app/sync/order-history";
import { checkAgainstSchema, checkDocument } from "./support/admin-api";

/** Every Admin GraphQL document the app sends, by operation name, read from the modules that send them. */
function appOperations(): Map<string, string> {
  const source = [
    "app/shopify/admin-api.server.ts",
    "app/sync/bulk-operations.server.ts",
    "app/sync/shopify-orders.server.ts",
  ]
    .map((file) => readFileSync(file, "utf8"))
    .join("\n");
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
  TsumikiRunBulkQuery: { query: CUSTOMERS_BULK_QUERY },
  TsumikiBulkOperation: { id: "gid://shopify/BulkOperation/1" },
  TsumikiReconcileOrders: { query: "updated_at:>='2026-11-01T00:00:00Z'", after: null },
  TsumikiReconcileOrder: { id: "gid://shopify/Order/1", after: null },
  TsumikiReconcileRefund: { id: "gid://shopify/Refund/1", after: null },
};

type Line = Record<string, unknown> & { id: string; __parentId?: string };

/**
 * A bulk result put back into the shape of its query's answer (each nested object under its parent's connection),
 * so the lines can be checked against Shopify's schema as the answer to that query.
 */
function regroup(root: string, nested: string | null, lines: Line[]): Record<string, unknown> {
  const parents = lines.filter((line) => !line.__parentId).map((line) => ({ ...line }) as Record<string, unknown>);
  for (const parent of parents) if (nested) parent[nested] = { edges: [] };
  for (const { __parentId, ...child } of lines.filter((line) => line.__parentId)) {
    const parent = parents.find((candidate) => candidate.id === __parentId)!;
    (parent[nested!] as { edges: unknown[] }).edges.push({ node: child });
  }
  return { [root]: { edges: parents.map((node) => ({ node })) } };
}

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

  it("answers the sync's bulk queries with JSONL files of the demo data, in the shapes of the 2026-07 schema", () => {
    for (const [query, root, nested, count] of [
      [CUSTOMERS_BULK_QUERY, "customers", null, 3],
      [PRODUCTS_BULK_QUERY, "products", "collections", 6],
    ] as const) {
      checkDocument(query);
      const { bulkOperationRunQuery } = localAdminAnswer("TsumikiRunBulkQuery", { query }) as {
        bulkOperationRunQuery: { bulkOperation: { id: string; status: string; url: string; objectCount: string } };
      };
      const operation = bulkOperationRunQuery.bulkOperation;
      expect(operation).toMatchObject({ status: "COMPLETED", objectCount: String(count) });
      expect(localAdminAnswer("TsumikiBulkOperation", { id: operation.id })).toEqual({ bulkOperation: operation });
      const file = localBulkResult(operation.url)!;
      expect(file.endsWith("\n")).toBe(true);
      const lines = file
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as Line);
      expect(lines).toHaveLength(count);
      expect(() => checkAgainstSchema(query, {}, regroup(root, nested, lines))).not.toThrow();
    }
  });

  it("answers the order-history bulk query with the demo history, in the shapes of the 2026-07 schema", () => {
    const query = historyBulkQuery(new Date("2025-11-30T00:00:00Z"), new Date("2026-11-30T00:00:00Z"));
    checkDocument(query);
    const { bulkOperationRunQuery } = localAdminAnswer("TsumikiRunBulkQuery", { query }) as {
      bulkOperationRunQuery: { bulkOperation: { url: string; objectCount: string } };
    };
    const lines = localBulkResult(bulkOperationRunQuery.bulkOperation.url)!
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Line);
    expect(lines).toHaveLength(Number(bulkOperationRunQuery.bulkOperation.objectCount));
    const orders = lines.filter((line) => !line.__parentId);
    expect(orders).toHaveLength(4);
    const answer = {
      orders: {
        edges: orders.map((order) => ({
          node: {
            ...order,
            discountApplications: { edges: [] },
            lineItems: {
              edges: lines
                .filter((line) => line.__parentId === order.id)
                .map(({ __parentId: _parent, ...node }) => ({ node })),
            },
          },
        })),
      },
    };
    expect(() => checkAgainstSchema(query, {}, answer)).not.toThrow();
    // Reconciliation's catch-up finds nothing missed.
    const catchUp = localAdminAnswer("TsumikiRunBulkQuery", {
      query: catchUpBulkQuery(new Date("2026-11-01T00:00:00Z"), new Date("2026-11-30T00:00:00Z")),
    }) as { bulkOperationRunQuery: { bulkOperation: { objectCount: string; url: string | null } } };
    expect(catchUp.bulkOperationRunQuery.bulkOperation).toMatchObject({ objectCount: "0", url: null });
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
