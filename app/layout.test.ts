import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, expect, it } from "vitest";

/** Every module under app/ (generated code and tests aside) with the app modules it imports, statically or not. */
function importGraph(): Map<string, string[]> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (name === "generated") continue;
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) files.push(path);
    }
  };
  walk("app");
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const source = readFileSync(file, "utf8");
    const targets: string[] = [];
    for (const match of source.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)) {
      const base = normalize(join(dirname(file), match[1]));
      const target = [base, `${base}.ts`, `${base}.tsx`].find((candidate) => files.includes(candidate));
      if (target && !source.includes(`import type ${match[0].slice(match[0].indexOf("{"))}`)) targets.push(target);
    }
    graph.set(file, targets);
  }
  return graph;
}

function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, "visiting");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === "visiting") found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}

describe("the app's layout", () => {
  it("has no import cycle through the Shopify app object (shopify.server → install → admin API → shopify.server)", () => {
    const graph = importGraph();
    const throughShopify = cycles(graph).filter((cycle) => cycle.some((file) => file.startsWith("app/shopify")));
    expect(throughShopify).toEqual([]);
  });

  it("keeps one folder per capability, each holding its rules beside its database and Shopify code", () => {
    for (const capability of ["ledger", "earning", "program", "redemption", "members", "reports", "imports"]) {
      expect(existsSync(join("app", capability)), capability).toBe(true);
    }
    expect(existsSync("app/services"), "no catch-all services folder").toBe(false);
  });
});
