// npm run insights -- fit --format cdnow|csv --transactions <file> --as-of yyyy-mm-dd [--holdout-weeks N]
// Fits the BG/NBD and Gamma-Gamma models to a transaction file and prints one JSON object (see app/insights/).
import { readFileSync } from "node:fs";
import { runFit, UsageError } from "../app/insights/fit-command";

try {
  const result = runFit(process.argv.slice(2), (path) => readFileSync(path, "utf8"));
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  throw error;
}
