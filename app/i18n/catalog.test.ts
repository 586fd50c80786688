import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createAdminI18n, LANGUAGES } from "./catalog";

/** The translation files as they are on disk, flattened to "a.b.c" keys. */
function catalog(language: string): Map<string, string> {
  const flat = new Map<string, string>();
  const walk = (node: unknown, path: string) => {
    if (typeof node === "string") flat.set(path, node);
    else if (node && typeof node === "object" && !Array.isArray(node)) {
      for (const [key, value] of Object.entries(node)) walk(value, path ? `${path}.${key}` : key);
    } else throw new Error(`${language}.json: ${path} is neither text nor a group of keys`);
  };
  walk(JSON.parse(readFileSync(`app/locales/${language}.json`, "utf8")), "");
  return flat;
}

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

/** Each key without its plural suffix, with the plural forms the catalog gives it ("" for a key that is not counted). */
function shapes(flat: Map<string, string>): Map<string, Set<string>> {
  const byBase = new Map<string, Set<string>>();
  for (const key of flat.keys()) {
    const form = PLURAL_SUFFIX.exec(key)?.[1] ?? "";
    const base = form ? key.slice(0, -(form.length + 1)) : key;
    byBase.set(base, (byBase.get(base) ?? new Set()).add(form));
  }
  return byBase;
}

/** The variables a text interpolates: "{{count, number}} of {{file}}" uses count and file. */
const variables = (text: string) => [...text.matchAll(/\{\{\s*-?\s*([\w.]+)/g)].map((match) => match[1]);

/** Every module under app/ but generated code and tests. */
function sources(dir = "app"): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === "generated") return [];
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

/** The first argument of every `t("…")` call in the app: the keys its pages and loaders look up. */
function usedKeys(): Array<{ file: string; key: string }> {
  return sources().flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(/\bt\(\s*(["'`])((?:(?!\1)[^\\])*)\1/g)].map((match) => ({
      file,
      key: match[2],
    })),
  );
}

const catalogs = Object.fromEntries(LANGUAGES.map((language) => [language, catalog(language)]));

describe("the admin's translation files", () => {
  it("have the same keys in every language, each a plural in both or in neither", () => {
    const [first, ...others] = LANGUAGES;
    const expected = shapes(catalogs[first]);
    for (const language of others) {
      const actual = shapes(catalogs[language]);
      const missing = [...expected.keys()].filter((base) => !actual.has(base));
      const extra = [...actual.keys()].filter((base) => !expected.has(base));
      expect(missing, `keys in ${first}.json missing from ${language}.json`).toEqual([]);
      expect(extra, `keys in ${language}.json missing from ${first}.json`).toEqual([]);
      const mismatched = [...expected.keys()].filter(
        (base) => actual.has(base) && expected.get(base)!.has("") !== actual.get(base)!.has(""),
      );
      expect(mismatched, `keys counted in one language and not the other`).toEqual([]);
    }
  });

  it("give every counted key exactly the plural forms its language uses (English one and other, Japanese other)", () => {
    for (const language of LANGUAGES) {
      const needed = new Intl.PluralRules(language).resolvedOptions().pluralCategories.sort();
      for (const [base, forms] of shapes(catalogs[language])) {
        if (forms.has("") && forms.size > 1) expect.fail(`${language}.json: ${base} is both counted and not`);
        if (forms.has("")) continue;
        expect([...forms].sort(), `${language}.json: plural forms of ${base}`).toEqual(needed);
      }
    }
  });

  it("interpolate the same variables in every language", () => {
    const used = (language: string) => {
      const byBase = new Map<string, Set<string>>();
      for (const [key, text] of catalogs[language]) {
        const base = key.replace(PLURAL_SUFFIX, "");
        byBase.set(base, new Set([...(byBase.get(base) ?? []), ...variables(text)]));
      }
      return byBase;
    };
    const english = used("en");
    for (const language of LANGUAGES.filter((l) => l !== "en")) {
      for (const [base, names] of used(language)) {
        expect([...names].sort(), `${language}.json: variables of ${base}`).toEqual(
          [...(english.get(base) ?? [])].sort(),
        );
      }
    }
  });

  it("hold every key the app looks up with t()", () => {
    const used = usedKeys();
    // The pages, their components and the dashboard's loader all look words up: a scan that finds few missed them.
    expect(used.length).toBeGreaterThan(200);
    const english = shapes(catalogs.en);
    const dynamic = used.filter(({ key }) => key.includes("${"));
    expect(dynamic, "keys built at run time cannot be checked: spell each one out").toEqual([]);
    const missing = used.filter(({ key }) => !english.has(key)).map(({ file, key }) => `${file}: ${key}`);
    expect(missing, "keys looked up in app/ but missing from en.json").toEqual([]);
  });

  it("hold no key the app never looks up", () => {
    const used = new Set(usedKeys().map(({ key }) => key));
    expect([...shapes(catalogs.en).keys()].filter((base) => !used.has(base))).toEqual([]);
  });

  it("render counted words and numbers in each language", () => {
    const en = createAdminI18n("en").t;
    const ja = createAdminI18n("ja").t;
    expect(en("import.rows", { count: 1 })).toBe("1 row");
    expect(en("import.rows", { count: 1234 })).toBe("1,234 rows");
    expect(ja("import.rows", { count: 1234 })).toBe("1,234行");
    expect(
      en("import.counts", {
        rows: en("import.rows", { count: 3 }),
        valid: 1,
        points: en("common.points", { count: 300 }),
        rejected: 2,
      }),
    ).toBe("3 rows: 1 will be imported (300 points), 2 rejected.");
    expect(en("import.report", { file: "A&B <1>.csv" })).toBe("Dry run: A&B <1>.csv"); // React escapes, not i18next
    for (const language of LANGUAGES) {
      const t = createAdminI18n(language).t;
      for (const key of catalogs[language].keys()) {
        const base = key.replace(PLURAL_SUFFIX, "");
        expect(t(base as never, { count: 2 }), `${language}: ${key}`).not.toBe(base);
      }
    }
  });
});
