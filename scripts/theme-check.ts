/**
 * Shopify's theme check on the theme app extension, with Shopify's own theme-app-extension configuration (the
 * checks `shopify app deploy` applies, e.g. at most 10,000 bytes for an app block's JavaScript). Prints every
 * offense and exits non-zero if any is an error. `npm run check:theme` builds the widget first.
 *
 *   tsx scripts/theme-check.ts [extension folder, default extensions/theme-extension] [--verbose]
 *
 * Offline, the check's Liquid docs come from the package (the download of newer ones fails; --verbose says so).
 */
import { relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Severity, themeCheckRun } from "@shopify/theme-check-node";

const CONFIG = "theme-check:theme-app-extension";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { verbose: { type: "boolean" } } });
const root = resolve(positionals[0] ?? "extensions/theme-extension");
const log: string[] = [];
const { theme, offenses } = await themeCheckRun(root, CONFIG, (message) => log.push(message));
if (values.verbose) for (const message of log) console.error(message);

const NAMES = { [Severity.ERROR]: "error", [Severity.WARNING]: "warning", [Severity.INFO]: "info" };
const sorted = [...offenses].sort((a, b) => a.severity - b.severity || a.uri.localeCompare(b.uri));
for (const o of sorted) {
  const file = relative(process.cwd(), fileURLToPath(o.uri));
  console.log(`${NAMES[o.severity]}  ${o.check}  ${file}:${o.start.line + 1}:${o.start.character + 1}  ${o.message}`);
}
const count = (severity: Severity) => offenses.filter((o) => o.severity == severity).length;
const errors = count(Severity.ERROR);
console.log(
  `theme check (${CONFIG}) on ${relative(process.cwd(), root)}: ${theme.length} files, ` +
    `${errors} errors, ${count(Severity.WARNING)} warnings, ${count(Severity.INFO)} info`,
);
process.exitCode = errors > 0 ? 1 : 0;
