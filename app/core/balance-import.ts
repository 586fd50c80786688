/**
 * The rules for importing balances from another app or paper cards: which columns a file needs and what
 * makes a row acceptable. Pure: parsed CSV rows in, decisions out.
 */

export interface ImportColumns {
  customerId: number | null;
  email: number | null;
  points: number;
  note: number | null;
  /** Columns this importer does not use, reported so the merchant knows they were ignored. */
  ignored: string[];
}

const HEADERS: Record<string, keyof Omit<ImportColumns, "ignored">> = {
  customer_id: "customerId",
  "customer id": "customerId",
  顧客id: "customerId",
  email: "email",
  "e-mail": "email",
  メールアドレス: "email",
  points: "points",
  balance: "points",
  ポイント: "points",
  ポイント残高: "points",
  note: "note",
  メモ: "note",
};

export const MAX_IMPORT_POINTS = 10_000_000;

/** Finds the columns by header; an error names what is missing. */
export function importColumns(header: string[]): ImportColumns | { error: string } {
  const columns: ImportColumns = { customerId: null, email: null, points: -1, note: null, ignored: [] };
  header.forEach((raw, index) => {
    const name = raw.trim().toLowerCase();
    const key = HEADERS[name];
    if (!key) {
      if (name) columns.ignored.push(raw.trim());
    } else if (key === "points") {
      columns.points = index;
    } else {
      columns[key] = index;
    }
  });
  if (columns.points < 0) {
    return { error: `no points column: the header needs "points" (found: ${header.map((h) => h.trim()).join(", ")})` };
  }
  if (columns.customerId === null && columns.email === null) {
    return { error: 'no customer column: the header needs "customer_id" or "email"' };
  }
  return columns;
}

export interface ImportRowDecision {
  /** The customer as the row names them: a Shopify customer id, or a lower-cased email. */
  customer: string;
  by: "customerId" | "email";
  points: number;
  note: string | null;
  rejected: string | null;
}

/** Checks one row; the customer's existence is checked later against the members. */
export function decideImportRow(fields: string[], columns: ImportColumns): ImportRowDecision {
  const cell = (index: number | null) => (index === null ? "" : (fields[index] ?? "").trim());
  const id = cell(columns.customerId).replace(/^gid:\/\/shopify\/Customer\//, "");
  const email = cell(columns.email).toLowerCase();
  const rawPoints = cell(columns.points).replace(/,/g, "");
  const note = cell(columns.note) || null;
  const by = id ? "customerId" : "email";
  const customer = id || email;
  const reject = (reason: string): ImportRowDecision => ({ customer, by, points: 0, note, rejected: reason });
  if (!customer) return reject("no customer id or email");
  if (id && !/^\d{1,20}$/.test(id)) return reject(`"${id}" is not a Shopify customer id`);
  if (!id && !/^[^\s@]+@[^\s@]+$/.test(email)) return reject(`"${email}" is not an email address`);
  if (!/^-?\d+(\.0+)?$/.test(rawPoints)) return reject(`"${cell(columns.points)}" is not a whole number of points`);
  const points = Number.parseInt(rawPoints, 10);
  if (points < 0) return reject(`negative balance (${points}): balances to import are 0 or more`);
  if (points === 0) return reject("balance is 0: nothing to import");
  if (points > MAX_IMPORT_POINTS) return reject(`more than ${MAX_IMPORT_POINTS.toLocaleString("en")} points`);
  return { customer, by, points, note, rejected: null };
}
