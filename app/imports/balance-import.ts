/**
 * The rules for migrating balances from another loyalty app or paper cards: what makes a row acceptable, what
 * it credits, and when its parts expire. Pure: parsed CSV rows in, decisions out (columns.ts finds the columns).
 */

import { addDays, localDate, startOfLocalDay } from "../shared/calendar";
import type { ColumnMapping } from "./columns";

export const MAX_IMPORT_POINTS = 10_000_000;
/** A row's history stays a few passbook lines, not a second file hidden in a cell. */
export const MAX_HISTORY_LINES = 100;

/** A dated part of a balance: a lot of its own, expiring at the end of `expiresOn` in the shop's time zone. */
export interface ExpiryLot {
  points: number;
  expiresOn: string;
}

/** One line of the previous app's history: shown in the passbook, never counted (the balance column is the truth). */
export interface HistoryLine {
  date: string;
  points: number;
  description: string;
}

/** What a row is checked against: the shop's today and time zone, and the program's tiers. */
export interface RowContext {
  /** The shop-local date of the dry run (YYYY-MM-DD): an expiry before it is in the past. */
  today: string;
  timezone: string;
  tiers: Array<{ id: string; name: string }>;
}

export interface ImportRowDecision {
  /** The customer as the row names them: a Shopify customer id, or a lower-cased email. */
  customer: string;
  by: "customerId" | "email";
  points: number;
  note: string | null;
  /** Dated parts of `points`, soonest first; what they leave expires as the program's earned points do. */
  lots: ExpiryLot[];
  tierId: string | null;
  history: HistoryLine[];
  rejected: string | null;
}

const validDate = (y: number, m: number, d: number) => {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
};
const ymd = (y: number, m: number, d: number) =>
  `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;

/**
 * A date as other apps and spreadsheets write it: 2026-03-31, 2026/3/31, 2026.03.31, 2026年3月31日, or a
 * timestamp (2026-03-31T14:59:59Z is the 31st in Tokyo: an instant with a zone is read in the shop's time zone,
 * one without as the shop's local time). Day-first and month-first dates (03/31/2026) are ambiguous: null.
 */
export function parseImportDate(raw: string, timezone: string): string | null {
  const text = raw.normalize("NFKC").trim();
  const plain = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text) ?? /^(\d{4})年(\d{1,2})月(\d{1,2})日$/.exec(text);
  if (plain) {
    const [y, m, d] = plain.slice(1).map(Number);
    return validDate(y, m, d) ? ymd(y, m, d) : null;
  }
  const stamp = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(
    text,
  );
  if (!stamp) return null;
  const [y, m, d, hh, mm] = stamp.slice(1, 6).map(Number);
  if (!validDate(y, m, d) || hh > 23 || mm > 59) return null;
  if (!stamp[7]) return ymd(y, m, d);
  const instant = Date.parse(text.replace(" ", "T"));
  return Number.isNaN(instant) ? null : localDate(new Date(instant), timezone);
}

const WHOLE = /^[+-]?\d{1,3}(,\d{3})+(\.0+)?$|^[+-]?\d+(\.0+)?$/;

/** A whole number as exports write it ("1,200", "1200", "1200.0", "+50"), or null. */
function wholeNumber(raw: string): number | null {
  const text = raw.normalize("NFKC").trim();
  if (!WHOLE.test(text)) return null;
  const value = Number.parseInt(text.replace(/[,+]/g, ""), 10);
  return Number.isSafeInteger(value) ? value : null;
}

/** NFKC, one space, lower case: how tier names are compared. */
const loose = (text: string) => text.normalize("NFKC").replace(/\s+/g, " ").trim().toLowerCase();

/**
 * Parses the expiry lots cell: parts "points@date" separated by ";", "|" or line breaks
 * ("300@2026-03-31; 200@2026-06-30").
 */
function parseLots(
  cell: string,
  timezone: string,
): { lots: Array<{ points: number; expiresOn: string }> } | { error: string } {
  const lots: Array<{ points: number; expiresOn: string }> = [];
  for (const part of cell
    .split(/[;|\r\n]+/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^(.+?)\s*@\s*(.+)$/.exec(part);
    const points = match ? wholeNumber(match[1]) : null;
    if (!match || points === null) return { error: `expiry lot "${part}" is not "points@YYYY-MM-DD"` };
    const expiresOn = parseImportDate(match[2], timezone);
    if (!expiresOn) return { error: `expiry lot "${part}": "${match[2].trim()}" is not a date (write YYYY-MM-DD)` };
    lots.push({ points, expiresOn });
  }
  return { lots };
}

/** Parses the history cell: lines "YYYY-MM-DD ±points description" separated by ";" or line breaks. */
function parseHistory(cell: string, context: RowContext): { history: HistoryLine[] } | { error: string } {
  const history: HistoryLine[] = [];
  const lines = cell
    .split(/[;\r\n]+/)
    .map((line) => line.trim())
    .filter(Boolean);
  if (lines.length > MAX_HISTORY_LINES) return { error: `more than ${MAX_HISTORY_LINES} history lines` };
  for (const line of lines) {
    const match = /^(\S+)\s+([+-]?[\d,]+)(?:\s+(.*))?$/.exec(line);
    const date = match ? parseImportDate(match[1], context.timezone) : null;
    const points = match ? wholeNumber(match[2]) : null;
    if (!match || !date || points === null) {
      return { error: `history line "${line}" is not "YYYY-MM-DD points description"` };
    }
    if (date > context.today) return { error: `history line "${line}" is dated in the future` };
    history.push({ date, points, description: (match[3] ?? "").trim().slice(0, 200) });
  }
  return { history };
}

/**
 * Checks one row; the customer's existence is checked later against the members. The balance column is the
 * truth: the expiry columns only say when parts of it expire, and history lines are only shown.
 *
 * Expiry, in order: each part of the expiry lots column, and the expiring points column with the expiry date,
 * is a lot of its own. An expiry date without expiring points dates whatever those parts leave (so a file with a
 * balance and one 有効期限 per row dates the whole balance). What is still left expires as the program's earned
 * points do, counted from the import. Parts adding up to more than the balance, a negative part, and a date that
 * is malformed or already past (before the shop's today) reject the row; parts of 0 points are dropped.
 */
export function decideImportRow(fields: string[], mapping: ColumnMapping, context: RowContext): ImportRowDecision {
  const cell = (index: number | undefined) => (index === undefined ? "" : (fields[index] ?? "").trim());
  const id = cell(mapping.customerId).replace(/^gid:\/\/shopify\/Customer\//, "");
  const email = cell(mapping.email).toLowerCase();
  const rawPoints = cell(mapping.balance);
  const note = cell(mapping.note) || null;
  const by = id ? "customerId" : "email";
  const customer = id || email;
  const decision: ImportRowDecision = {
    customer,
    by,
    points: 0,
    note,
    lots: [],
    tierId: null,
    history: [],
    rejected: null,
  };
  const reject = (reason: string): ImportRowDecision => ({
    ...decision,
    points: 0,
    lots: [],
    history: [],
    rejected: reason,
  });
  if (!customer) return reject("no customer id or email");
  if (id && !/^\d{1,20}$/.test(id)) return reject(`"${id}" is not a Shopify customer id`);
  if (!id && !/^[^\s@]+@[^\s@]+$/.test(email)) return reject(`"${email}" is not an email address`);
  const points = wholeNumber(rawPoints);
  if (points === null) return reject(`"${rawPoints}" is not a whole number of points`);
  if (points < 0) return reject(`negative balance (${points}): balances to import are 0 or more`);
  if (points > MAX_IMPORT_POINTS) return reject(`more than ${MAX_IMPORT_POINTS.toLocaleString("en")} points`);

  const tierCell = cell(mapping.tier);
  if (tierCell) {
    const tier =
      context.tiers.find((level) => level.id === tierCell) ??
      context.tiers.find((level) => loose(level.name) === loose(tierCell));
    if (!tier) {
      const known = context.tiers.map((level) => level.name).join(", ");
      return reject(
        known
          ? `unknown tier "${tierCell}": the program's tiers are ${known}`
          : `unknown tier "${tierCell}": the program has no tiers`,
      );
    }
    decision.tierId = tier.id;
  }

  const historyCell = cell(mapping.history);
  if (historyCell) {
    const parsed = parseHistory(historyCell, context);
    if ("error" in parsed) return reject(parsed.error);
    decision.history = parsed.history;
  }
  if (points === 0 && !decision.tierId && decision.history.length === 0)
    return reject("balance is 0: nothing to import");

  const parts: ExpiryLot[] = [];
  const lotsCell = cell(mapping.expiryLots);
  if (lotsCell) {
    const parsed = parseLots(lotsCell, context.timezone);
    if ("error" in parsed) return reject(parsed.error);
    parts.push(...parsed.lots);
  }
  const dateCell = cell(mapping.expiresOn);
  const expiresOn = dateCell ? parseImportDate(dateCell, context.timezone) : null;
  if (dateCell && !expiresOn) return reject(`"${dateCell}" is not an expiry date (write YYYY-MM-DD)`);
  if (expiresOn && expiresOn < context.today) return reject(`expiry date ${expiresOn} is in the past`);
  const expiringCell = cell(mapping.expiringPoints);
  if (expiringCell) {
    const expiring = wholeNumber(expiringCell);
    if (expiring === null) return reject(`"${expiringCell}" is not a whole number of expiring points`);
    if (!expiresOn) return reject(`${expiring} expiring points without an expiry date`);
    parts.push({ points: expiring, expiresOn });
  }
  for (const part of parts) {
    if (part.points < 0) return reject(`negative expiry lot (${part.points} points on ${part.expiresOn})`);
    if (part.expiresOn < context.today) return reject(`expiry date ${part.expiresOn} is in the past`);
  }
  const dated = parts.filter((part) => part.points > 0);
  const covered = dated.reduce((sum, part) => sum + part.points, 0);
  if (covered > points) {
    return reject(`expiry lots add up to ${covered} points, more than the balance of ${points}`);
  }
  if (expiresOn && !expiringCell && covered < points) {
    dated.push({ points: points - covered, expiresOn });
  }
  // One lot per date: two parts expiring the same day are one part.
  const byDate = new Map<string, number>();
  for (const part of dated) byDate.set(part.expiresOn, (byDate.get(part.expiresOn) ?? 0) + part.points);
  decision.lots = [...byDate.entries()]
    .map(([date, sum]) => ({ points: sum, expiresOn: date }))
    .sort((a, b) => a.expiresOn.localeCompare(b.expiresOn));
  decision.points = points;
  return decision;
}

/** The instant a lot dated `expiresOn` expires: the end of that date in the shop's time zone. */
export function lotExpiresAt(expiresOn: string, timezone: string): Date {
  return startOfLocalDay(addDays(expiresOn, 1), timezone);
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
export function importCreditContent(points: number, note: string | null, lots: ExpiryLot[] = []): string {
  // Dated parts are part of what is credited (the same points expiring otherwise are other content); a row
  // without them keeps the key it had before expiry lots existed.
  const dated = lots.length ? `\n${lots.map((lot) => `${lot.points}@${lot.expiresOn}`).join(",")}` : "";
  const text = (note ?? "")
    .replace(/[\u301c\u2212\u2016\u2014]/g, (c) => JIS_VARIANTS[c])
    .normalize("NFKC")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
  return `${points}\n${text}${dated}`;
}
