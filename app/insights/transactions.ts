/**
 * Transactions as the `insights` command reads them, and the summaries the models take. As the BG/NBD paper does:
 * time is in weeks, a customer's repeat purchases are their distinct purchase days after the first, and the
 * calibration period runs to `asOf` inclusive (customers whose first purchase is later are not in it). Amounts on one
 * day add up into that day's transaction (for the Gamma-Gamma model's mean repeat spend).
 */

export interface Transaction {
  customerId: string;
  /** yyyy-mm-dd */
  date: string;
  /** In the file's currency units (CDNOW: dollars). */
  amount: number;
}

export class TransactionsRefused extends Error {}

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a yyyy-mm-dd date, or null when it is not a real date. */
export function dayNumber(date: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return null;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  const back = new Date(ms);
  if (back.getUTCDate() !== Number(match[3]) || back.getUTCMonth() !== Number(match[2]) - 1) return null;
  return Math.round(ms / DAY_MS);
}

function refuse(line: number, why: string): never {
  throw new TransactionsRefused(`line ${line}: ${why}`);
}

/** The CDNOW files: whitespace-separated master id, sample id, date yyyymmdd, CDs bought, dollars. */
export function parseCdnow(text: string): Transaction[] {
  const out: Transaction[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") return;
    const fields = line.split(/\s+/);
    if (fields.length !== 5)
      refuse(i + 1, `expected 5 fields (id, sample id, yyyymmdd, CDs, dollars), got ${fields.length}`);
    const [id, , ymd, , dollars] = fields;
    const date = /^\d{8}$/.test(ymd) ? `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}` : "";
    if (dayNumber(date) === null) refuse(i + 1, `"${ymd}" is not a date yyyymmdd`);
    const amount = Number(dollars);
    if (!Number.isFinite(amount) || amount < 0) refuse(i + 1, `"${dollars}" is not an amount`);
    out.push({ customerId: id, date, amount });
  });
  return out;
}

/** A CSV with the header `customer_id,date,amount` (date yyyy-mm-dd). */
export function parseCsv(text: string): Transaction[] {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? "")
    .replace(/^\uFEFF/, "")
    .trim()
    .toLowerCase();
  if (header !== "customer_id,date,amount") refuse(1, `the header must be customer_id,date,amount, got "${header}"`);
  const out: Transaction[] = [];
  lines.slice(1).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") return;
    const fields = line.split(",");
    if (fields.length !== 3) refuse(i + 2, `expected 3 fields, got ${fields.length}`);
    const [customerId, date, amountText] = fields.map((f) => f.trim());
    if (customerId === "") refuse(i + 2, "customer_id is empty");
    if (dayNumber(date) === null) refuse(i + 2, `"${date}" is not a date yyyy-mm-dd`);
    const amount = Number(amountText);
    if (amountText === "" || !Number.isFinite(amount) || amount < 0) refuse(i + 2, `"${amountText}" is not an amount`);
    out.push({ customerId, date, amount });
  });
  return out;
}

export interface CustomerSummary {
  customerId: string;
  /** Repeat purchase days in the calibration period. */
  x: number;
  /** Weeks from the first purchase to the last repeat one (0 without one). */
  tx: number;
  /** Weeks from the first purchase to the end of the calibration period. */
  T: number;
  /** The mean value of the repeat purchase days (0 without one). */
  mx: number;
  /** Repeat purchase days in the holdout period after the calibration. */
  holdoutX: number;
}

/**
 * Each calibration customer's summary, as of `asOf` (yyyy-mm-dd, inclusive), with the repeat purchase days of the
 * `holdoutWeeks` weeks after it.
 */
export function summarise(transactions: readonly Transaction[], asOf: string, holdoutWeeks = 0): CustomerSummary[] {
  const end = dayNumber(asOf);
  if (end === null) throw new TransactionsRefused(`"${asOf}" is not a date yyyy-mm-dd`);
  const holdoutEnd = end + holdoutWeeks * 7;
  const days = new Map<string, Map<number, number>>();
  for (const t of transactions) {
    const day = dayNumber(t.date)!;
    let customer = days.get(t.customerId);
    if (!customer) days.set(t.customerId, (customer = new Map()));
    customer.set(day, (customer.get(day) ?? 0) + t.amount);
  }
  const out: CustomerSummary[] = [];
  for (const [customerId, spend] of days) {
    const sorted = [...spend.keys()].sort((p, q) => p - q);
    const first = sorted[0];
    if (first > end) continue;
    const repeat = sorted.filter((d) => d > first && d <= end);
    const last = repeat.length > 0 ? repeat[repeat.length - 1] : first;
    out.push({
      customerId,
      x: repeat.length,
      tx: (last - first) / 7,
      T: (end - first) / 7,
      mx: repeat.length > 0 ? repeat.reduce((s, d) => s + spend.get(d)!, 0) / repeat.length : 0,
      holdoutX: sorted.filter((d) => d > end && d <= holdoutEnd).length,
    });
  }
  return out;
}
