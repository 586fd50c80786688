/**
 * The discount Function on a 200-line cart, run as plain JavaScript in Node: microseconds per run. Shopify
 * runs it compiled to WebAssembly (Javy) under an 11M-instruction budget; this figure tracks our own cost.
 */
import { cartLinesDiscountsGenerateRun } from "../extensions/points-discount/src";
import { twoHundredLineCart } from "../extensions/points-discount/tests/fixtures";

const input = twoHundredLineCart();
const RUNS = 20_000;
for (let i = 0; i < 2_000; i++) cartLinesDiscountsGenerateRun(input);
const started = performance.now();
for (let i = 0; i < RUNS; i++) cartLinesDiscountsGenerateRun(input);
const micros = ((performance.now() - started) * 1000) / RUNS;
console.log(
  JSON.stringify({
    runs: RUNS,
    microsecondsPerRun: micros,
    outputBytes: JSON.stringify(cartLinesDiscountsGenerateRun(input)).length,
  }),
);
