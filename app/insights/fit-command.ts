/**
 * The `insights fit` command's work, apart from the file system and the process: its arguments, the fit, and the
 * holdout comparison by calibration frequency (0–6 and 7+, as the paper's Figure 4 groups them).
 */
import { expectedPurchases, fitBgNbd, type BgNbdParams } from "./bgnbd";
import { fitGammaGamma, type GammaGammaParams } from "./gamma-gamma";
import { parseCdnow, parseCsv, summarise, TransactionsRefused } from "./transactions";

export class UsageError extends Error {}

export const USAGE =
  "usage: npm run insights -- fit --format cdnow|csv --transactions <file> --as-of yyyy-mm-dd [--holdout-weeks N]";

interface FitArguments {
  format: "cdnow" | "csv";
  transactions: string;
  asOf: string;
  holdoutWeeks: number | null;
}

function parseArguments(argv: readonly string[]): FitArguments {
  const [command, ...rest] = argv;
  if (command !== "fit") throw new UsageError(`unknown command "${command ?? ""}"\n${USAGE}`);
  const options = new Map<string, string>();
  for (let i = 0; i < rest.length; i += 2) {
    const name = rest[i];
    const value = rest[i + 1];
    if (!["--format", "--transactions", "--as-of", "--holdout-weeks"].includes(name) || value === undefined) {
      throw new UsageError(`unknown or incomplete option "${name}"\n${USAGE}`);
    }
    options.set(name, value);
  }
  const format = options.get("--format");
  if (format !== "cdnow" && format !== "csv") throw new UsageError(`--format must be cdnow or csv\n${USAGE}`);
  const transactions = options.get("--transactions");
  if (!transactions) throw new UsageError(`--transactions is required\n${USAGE}`);
  const asOf = options.get("--as-of") ?? "";
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new UsageError(`--as-of must be a date yyyy-mm-dd\n${USAGE}`);
  const weeks = options.get("--holdout-weeks");
  if (weeks !== undefined && !/^[1-9]\d{0,3}$/.test(weeks)) {
    throw new UsageError(`--holdout-weeks must be a whole number of weeks\n${USAGE}`);
  }
  return { format, transactions, asOf, holdoutWeeks: weeks === undefined ? null : Number(weeks) };
}

export interface FitOutput {
  params: BgNbdParams;
  logLikelihood: number;
  customers: number;
  calibrationRepeatPurchases: number;
  gammaGamma: (GammaGammaParams & { customers: number }) | null;
  holdout?: {
    weeks: number;
    predicted: number;
    actual: number;
    byFrequency: Array<{ frequency: string; customers: number; predicted: number; actual: number }>;
  };
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

/** Runs `fit` with its arguments; `read` reads the transactions file. Throws UsageError for what the user got wrong. */
export function runFit(argv: readonly string[], read: (path: string) => string): FitOutput {
  const args = parseArguments(argv);
  let text: string;
  try {
    text = read(args.transactions);
  } catch (error) {
    throw new UsageError(`cannot read ${args.transactions}: ${(error as Error).message}`);
  }
  let customers;
  try {
    const transactions = args.format === "cdnow" ? parseCdnow(text) : parseCsv(text);
    customers = summarise(transactions, args.asOf, args.holdoutWeeks ?? 0);
  } catch (error) {
    if (error instanceof TransactionsRefused) throw new UsageError(`${args.transactions}: ${error.message}`);
    throw error;
  }
  if (customers.length === 0) throw new UsageError(`no customer bought on or before ${args.asOf}`);
  const fit = fitBgNbd(customers);
  const repeaters = customers.filter((c) => c.x > 0 && c.mx > 0);
  const gammaGamma = repeaters.length > 0 ? fitGammaGamma(repeaters).params : null;
  const output: FitOutput = {
    params: fit.params,
    logLikelihood: fit.logLikelihood,
    customers: customers.length,
    calibrationRepeatPurchases: customers.reduce((sum, c) => sum + c.x, 0),
    gammaGamma: gammaGamma && { ...gammaGamma, customers: repeaters.length },
  };
  if (args.holdoutWeeks !== null) {
    const weeks = args.holdoutWeeks;
    const rows = ["0", "1", "2", "3", "4", "5", "6", "7+"].map((frequency) => ({
      frequency,
      customers: 0,
      predicted: 0,
      actual: 0,
    }));
    for (const c of customers) {
      const row = rows[Math.min(c.x, 7)];
      row.customers += 1;
      row.predicted += expectedPurchases(fit.params, c, weeks);
      row.actual += c.holdoutX;
    }
    output.holdout = {
      weeks,
      predicted: round(
        rows.reduce((s, r) => s + r.predicted, 0),
        1,
      ),
      actual: rows.reduce((s, r) => s + r.actual, 0),
      byFrequency: rows.map((r) => ({ ...r, predicted: round(r.predicted, 1) })),
    };
  }
  return output;
}
