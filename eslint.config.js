import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "build/**",
      "node_modules/**",
      "app/generated/**",
      "public/build/**",
      "scratch/**",
      "**/dist/**",
      "**/generated/**",
      "test-artifacts/**",
      "extensions/theme-extension/assets/**",
      ".cache/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
    },
  },
  {
    // Plain-JavaScript preloads and configs run in Node.
    files: ["**/*.{js,mjs}"],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Each capability's pure rules take plain data and return decisions: no `any`, no framework, no database, no
    // Shopify, and nothing from a module that does I/O (*.server). Its *.server.ts modules are the adapters.
    files: [
      "app/{shared,ledger,earning,program,redemption,members,reports,imports,storefront,i18n,sync,notifications,fraud,staff,outgoing-webhooks,api,mcp,flow-actions,insights}/**/*.ts",
      "extensions/points-discount/src/**/*.ts",
    ],
    ignores: ["**/*.server.ts", "**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@remix-run/*", "react", "react-dom"], message: "pure rules do not render or route" },
            { group: ["@shopify/*"], message: "pure rules do not call Shopify: put that in a *.server.ts adapter" },
            {
              group: ["@prisma/*", "prisma", "*generated/prisma*", "pg", "@electric-sql/*"],
              message: "pure rules do not touch the database",
            },
            { group: ["**/*.server", "**/*.server.ts"], message: "pure rules import no module that does I/O" },
            {
              group: ["node:fs", "node:fs/*", "node:net", "node:http", "node:child_process"],
              message: "pure rules do no I/O",
            },
          ],
        },
      ],
    },
  },
);
