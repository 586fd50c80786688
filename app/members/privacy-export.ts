import { csvRow } from "../shared/csv-write";

/** What customers/data_request prepared: everything the app holds about one customer (see privacy.server.ts). */
export interface PrivacyExport {
  customerId: string;
  held?: string;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  balance?: { available: number; pending: number; debt: number };
  ledger?: Array<{ at: string; kind: string; points: number; reason: string; orderId: string | null }>;
  lots?: Array<{ amount: number; remaining: number; earnedAt: string; expiresAt: string | null }>;
  rewardCodes?: Array<{ code: string; points: number; status: string; createdAt: string; expiresAt: string }>;
  blocked?: { since: string; reason: string | null } | null;
}

/** Shopify expects the merchant to answer a data request within 30 days of receiving it. */
export const PRIVACY_ANSWER_DAYS = 30;

export function privacyAnswerDue(receivedAt: Date): Date {
  return new Date(receivedAt.getTime() + PRIVACY_ANSWER_DAYS * 24 * 60 * 60 * 1000);
}

export const PRIVACY_CSV_HEADER = ["section", "date", "kind", "points", "detail"];

/**
 * The export as one CSV a customer can open in a spreadsheet: one line per fact, grouped by section (profile,
 * balance, ledger, lot, reward code, block), with a BOM so Excel reads Japanese names as UTF-8.
 */
export function privacyExportCsv(data: PrivacyExport): string {
  const rows: Array<Array<string | number | null>> = [PRIVACY_CSV_HEADER];
  rows.push(["profile", null, "customer_id", null, data.customerId]);
  if (data.held) rows.push(["profile", null, "note", null, data.held]);
  if (data.email !== undefined) rows.push(["profile", null, "email", null, data.email]);
  if (data.firstName !== undefined) rows.push(["profile", null, "first_name", null, data.firstName]);
  if (data.lastName !== undefined) rows.push(["profile", null, "last_name", null, data.lastName]);
  if (data.balance) {
    rows.push(["balance", null, "available", data.balance.available, null]);
    rows.push(["balance", null, "pending", data.balance.pending, null]);
    rows.push(["balance", null, "debt", data.balance.debt, null]);
  }
  for (const entry of data.ledger ?? []) {
    const detail = entry.orderId ? `${entry.reason} (order ${entry.orderId})` : entry.reason;
    rows.push(["ledger", entry.at, entry.kind, entry.points, detail]);
  }
  for (const lot of data.lots ?? []) {
    const expiry = lot.expiresAt ? `expires ${lot.expiresAt}` : "does not expire";
    rows.push(["lot", lot.earnedAt, "remaining", lot.remaining, `${lot.amount} earned; ${expiry}`]);
  }
  for (const code of data.rewardCodes ?? []) {
    rows.push(["reward_code", code.createdAt, code.status, code.points, `${code.code}; ends ${code.expiresAt}`]);
  }
  if (data.blocked) rows.push(["block", data.blocked.since, "blocked", null, data.blocked.reason]);
  return "\uFEFF" + rows.map((row) => csvRow(row)).join("");
}
