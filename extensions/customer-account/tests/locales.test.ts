import { describe, expect, it } from "vitest";
import { catalogs, keysOf } from "./i18n";

describe("the customer account extension's words", () => {
  it("Japanese and English have the same keys, and every placeholder in both", () => {
    expect(keysOf(catalogs.ja).sort()).toEqual(keysOf(catalogs.en).sort());
    for (const key of keysOf(catalogs.en)) {
      const words = (catalog: typeof catalogs.en) =>
        key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], catalog) as string;
      const names = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
      expect(names(words(catalogs.ja)), key).toEqual(names(words(catalogs.en)));
    }
  });
});
