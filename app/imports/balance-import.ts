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

/**
 * Characters that Shift_JIS decoders (and Japanese input methods on different systems) give different code points
 * for the same glyph: a note typed once reads back as either, depending on how the file was saved.
 */
const JIS_VARIANTS: Record<string, string> = {
  "\u301c": "\uff5e", // 〜 WAVE DASH → ～ FULLWIDTH TILDE
  "\u2212": "\uff0d", // − MINUS SIGN → － FULLWIDTH HYPHEN-MINUS
  "\u2016": "\u2225", // ‖ DOUBLE VERTICAL LINE → ∥ PARALLEL TO
  "\u2014": "\u2015", // — EM DASH → ― HORIZONTAL BAR
};

/**
 * What an import row credits, as content: the text two rows share exactly when they are "the same row", so one
 * credit, keyed by the member and this text (see importCreditKey in app/imports/imports.server.ts), can never be
 * given twice, whatever bytes carried it.
 *
 * The policy. A credit is the member it goes to, its points and its note; never the file. Ignored, because they
 * change the bytes or the layout but not what is credited:
 * - the encoding (UTF-8 or Shift_JIS of the same text), a BOM, CRLF, LF or CR line endings, blank lines, quoting,
 *   spaces around cells, the header's language and the column order, columns the importer ignores (a name), the
 *   row's position and the file's name: the parser and decideImportRow have already removed them;
 * - how the row names the customer (customer id, its gid://shopify/Customer/ form, the email in any case): the key
 *   holds the member the row resolved to, not the text naming them;
 * - how the points are written ("1,200", "1200", "1200.0"): the key holds the number;
 * - in the note: Unicode compatibility forms (NFKC: full-width and half-width letters, digits and kana, the
 *   ideographic space), the few characters Shift_JIS decoders map differently (〜/～, −/－, ‖/∥, —/―), runs of
 *   whitespace and letter case. An empty note is no note.
 * A row for the same member with other points or another note is other content: applying it credits it (the dry
 * run first warns that the member already holds an imported balance, naming that import).
 */
export function importCreditContent(points: number, note: string | null): string {
  const text = (note ?? "")
    .replace(/[\u301c\u2212\u2016\u2014]/g, (c) => JIS_VARIANTS[c])
    .normalize("NFKC")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
  return `${points}\n${text}`;
}
