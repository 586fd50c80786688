import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectedPurchasesNew, fitBgNbd } from "../../app/insights/bgnbd";
import { fitGammaGamma } from "../../app/insights/gamma-gamma";
import { parseCdnow, summarise } from "../../app/insights/transactions";

// The paper's own data: the CDNOW 1/10 sample (2,357 customers who first bought in the first quarter of 1997). A copy
// is kept with the tests (test/fixtures/cdnow), so they run from a clone anywhere; it is the shared data set's.
const CDNOW = join(process.cwd(), "test", "fixtures", "cdnow", "CDNOW_sample.txt");
const SHARED = join(process.cwd(), "..", "shared", "data", "cdnow", "CDNOW_sample.txt");
const within = (actual: number, published: number, share: number) =>
  expect(Math.abs(actual - published)).toBeLessThanOrEqual(Math.abs(published) * share);

describe("BG/NBD and Gamma-Gamma reproduced on the paper's CDNOW sample", () => {
  const customers = summarise(parseCdnow(readFileSync(CDNOW, "utf8")), "1997-09-30", 39);

  it.skipIf(!existsSync(SHARED))("uses the shared data set's file, unchanged", () => {
    expect(readFileSync(CDNOW, "utf8")).toBe(readFileSync(SHARED, "utf8"));
  });

  it("summarises as the paper does: 2,357 customers, 2,457 repeat purchases in the 39 calibration weeks", () => {
    expect(customers).toHaveLength(2357);
    expect(customers.reduce((s, c) => s + c.x, 0)).toBe(2457);
    // A first purchase on 1997-01-01 has 272 days to 1997-09-30: T = 38.86 weeks (Hardie's CDNOW summary file).
    expect(Math.max(...customers.map((c) => c.T))).toBeCloseTo(38.857, 3);
  });

  it("fits r, alpha, a, b within 1 % of the published 0.243, 4.414, 0.793, 2.426 and LL within 0.1 of -9582.4", () => {
    const { params, logLikelihood } = fitBgNbd(customers);
    within(params.r, 0.243, 0.01);
    within(params.alpha, 4.414, 0.01);
    within(params.a, 0.793, 0.01);
    within(params.b, 2.426, 0.01);
    expect(Math.abs(logLikelihood - -9582.4)).toBeLessThanOrEqual(0.1);
    // Eq. (7) at the end of the calibration period gives what the fitted cohort repeat-bought per customer, roughly.
    expect(expectedPurchasesNew(params, 39)).toBeGreaterThan(0.5);
    expect(expectedPurchasesNew(params, 39)).toBeLessThan(2);
  });

  it("fits the Gamma-Gamma model within 1 % of Fader and Hardie's p = 6.25, q = 3.74, gamma = 15.44 (946 repeat customers)", () => {
    const repeaters = customers.filter((c) => c.x > 0);
    expect(repeaters).toHaveLength(946);
    const { params } = fitGammaGamma(repeaters);
    within(params.p, 6.25, 0.01);
    within(params.q, 3.74, 0.01);
    within(params.gamma, 15.44, 0.01);
  });
});

describe("npm run insights -- fit", () => {
  const run = (...args: string[]) =>
    spawnSync("npx", ["tsx", "scripts/insights.ts", ...args], { encoding: "utf8", timeout: 60_000 });

  it("prints one JSON object with the fit and the holdout by calibration frequency", () => {
    const out = execFileSync(
      "npx",
      [
        "tsx",
        "scripts/insights.ts",
        "fit",
        "--format",
        "cdnow",
        "--transactions",
        CDNOW,
        "--as-of",
        "1997-09-30",
        "--holdout-weeks",
        "39",
      ],
      { encoding: "utf8", timeout: 60_000 },
    );
    const result = JSON.parse(out) as {
      params: { r: number; alpha: number; a: number; b: number };
      logLikelihood: number;
      customers: number;
      calibrationRepeatPurchases: number;
      gammaGamma: { p: number; q: number; gamma: number; customers: number };
      holdout: {
        predicted: number;
        actual: number;
        byFrequency: Array<{ frequency: string; customers: number; predicted: number; actual: number }>;
      };
    };
    expect(result.customers).toBe(2357);
    expect(result.calibrationRepeatPurchases).toBe(2457);
    within(result.params.r, 0.243, 0.01);
    expect(result.holdout.byFrequency.map((row) => row.frequency)).toEqual(["0", "1", "2", "3", "4", "5", "6", "7+"]);
    expect(result.holdout.byFrequency.reduce((s, row) => s + row.customers, 0)).toBe(2357);
    expect(result.holdout.byFrequency.reduce((s, row) => s + row.actual, 0)).toBe(result.holdout.actual);
    // Counted from the file independently (awk): 1,882 distinct customer-days after 1997-09-30 (1,959 purchase lines),
    // every one within the 39 weeks to 1998-06-30; 2,457 + 1,882 = 4,339 repeat purchases over the 78 weeks.
    expect(result.holdout.actual).toBe(1882);
    expect(result.gammaGamma.customers).toBe(946);
    within(result.gammaGamma.p, 6.25, 0.01);
    // The model's conditional expectation tracks the holdout within a fifth in total, and rises with frequency.
    within(result.holdout.predicted, result.holdout.actual, 0.2);
    const perCustomer = result.holdout.byFrequency.map((row) => row.predicted / row.customers);
    expect([...perCustomer].sort((p, q) => p - q)).toEqual(perCustomer);
  });

  it("reads the csv format too", () => {
    const dir = mkdtempSync(join(tmpdir(), "insights-"));
    const rows = ["customer_id,date,amount"];
    // Forty customers: every fourth buys again each month, the others once.
    for (let c = 0; c < 40; c++) {
      rows.push(`c${c},2026-01-0${1 + (c % 9)},${1000 + c}`);
      if (c % 4 === 0) for (let m = 2; m <= 6; m++) rows.push(`c${c},2026-0${m}-15,${1200 + m}`);
    }
    writeFileSync(join(dir, "orders.csv"), `${rows.join("\n")}\n`);
    const answer = run("fit", "--format", "csv", "--transactions", join(dir, "orders.csv"), "--as-of", "2026-06-30");
    expect(answer.status).toBe(0);
    const result = JSON.parse(answer.stdout) as { customers: number; calibrationRepeatPurchases: number };
    expect(result).toMatchObject({ customers: 40, calibrationRepeatPurchases: 50 });
    expect(result).not.toHaveProperty("holdout");
  });

  it("answers bad arguments and bad files with the reason and exit code 2", () => {
    const noFormat = run("fit", "--transactions", CDNOW, "--as-of", "1997-09-30");
    expect(noFormat.status).toBe(2);
    expect(noFormat.stderr).toMatch(/--format must be cdnow or csv/);
    expect(run("predict").status).toBe(2);
    expect(run("fit", "--format", "cdnow", "--transactions", CDNOW, "--as-of", "30/09/1997").status).toBe(2);
    const dir = mkdtempSync(join(tmpdir(), "insights-"));
    writeFileSync(join(dir, "bad.csv"), "customer_id,date,amount\nc1,2026-02-30,10\n");
    const bad = run("fit", "--format", "csv", "--transactions", join(dir, "bad.csv"), "--as-of", "2026-06-30");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/line 2: "2026-02-30" is not a date/);
  });
});
