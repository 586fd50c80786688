/**
 * Which column of a migration file holds what. Other loyalty apps export balances under their own names
 * (Smile.io's points_balance, LoyaltyLion's "Points approved", Swell's point_balance, ポイント残高 in Japanese
 * spreadsheets): the header is recognised by those names, and when it is not, the merchant maps the columns in
 * the dry run. Pure: a header in, a mapping out.
 */

/** What a column can hold. */
export const IMPORT_FIELDS = [
  "customerId",
  "email",
  "balance",
  "expiresOn",
  "expiringPoints",
  "expiryLots",
  "tier",
  "note",
  "history",
] as const;

export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Column index by field; a field without a column is absent. */
export type ColumnMapping = Partial<Record<ImportField, number>>;

/** Names seen in other apps' exports and templates, after `headerKey` (lower case, words split by one space). */
const ALIASES: Record<ImportField, string[]> = {
  customerId: [
    "customer id",
    "shopify customer id",
    "shopify id",
    "customer shopify id",
    // LoyaltyLion names the platform's customer id "merchant id"; Yotpo/Swell "customer external id".
    "merchant id",
    "customer external id",
    "external customer id",
    "external id",
    "顧客id",
    "会員id",
    "shopify顧客id",
  ],
  email: ["email", "e mail", "email address", "customer email", "メールアドレス", "メール", "eメール"],
  balance: [
    "points",
    "balance",
    "points balance",
    "point balance",
    "current points",
    "current balance",
    "available points",
    // LoyaltyLion: approved points are the spendable balance (pending ones are not yet earned).
    "points approved",
    "approved points",
    "ポイント",
    "ポイント残高",
    "保有ポイント",
    "現在のポイント",
    "利用可能ポイント",
  ],
  expiresOn: [
    "expiry date",
    "expiration date",
    "expires at",
    "expires on",
    "points expiry date",
    "points expiration date",
    "points expire at",
    "有効期限",
    "ポイント有効期限",
    "失効日",
    "失効予定日",
  ],
  expiringPoints: [
    "expiring points",
    "points expiring",
    "points to expire",
    "失効予定ポイント",
    "期限付きポイント",
    "有効期限付きポイント",
  ],
  expiryLots: ["expiry lots", "expiring lots", "lots", "points lots", "有効期限内訳", "ポイント内訳"],
  tier: [
    "tier",
    "tier name",
    "vip tier",
    "vip tier name",
    "loyalty tier",
    "current tier",
    "level",
    "ランク",
    "会員ランク",
    "会員ステージ",
    "ステージ",
  ],
  note: ["note", "notes", "memo", "reason", "メモ", "備考"],
  history: ["history", "points history", "activity", "履歴", "ポイント履歴"],
};

const BY_NAME = new Map<string, ImportField>(
  IMPORT_FIELDS.flatMap((field) => ALIASES[field].map((alias) => [alias, field] as const)),
);

/** Headers that name the app an export came from (only said to the merchant: the aliases decide). */
const SIGNATURES: Array<{ app: string; headers: string[] }> = [
  { app: "LoyaltyLion", headers: ["merchant id", "points approved"] },
  { app: "LoyaltyLion", headers: ["points approved"] },
  { app: "Smile.io", headers: ["points balance"] },
  { app: "Yotpo (Swell)", headers: ["point balance"] },
  { app: "Yotpo (Swell)", headers: ["customer external id"] },
];

/**
 * A header cell as compared: Unicode compatibility forms folded (全角 letters, half-width kana), lower case,
 * underscores, hyphens, dots and runs of spaces as one space, and no space between Japanese words (顧客 ID).
 */
export function headerKey(raw: string): string {
  return raw
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[_\-.・/]+/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/(?<=[^\x20-\x7e]) | (?=[^\x20-\x7e])/g, "");
}

export interface HeaderRecognition {
  mapping: ColumnMapping;
  /** Header cells no field uses (a name, a phone number): reported, never read. */
  ignored: string[];
  /** The loyalty app whose export this looks like, when its column names say so. */
  app: string | null;
  /** Fields a usable mapping still lacks: a balance, and a customer id or an email. */
  missing: Array<"balance" | "customer">;
}

/** What a mapping lacks to be used. */
export function missingFields(mapping: ColumnMapping): Array<"balance" | "customer"> {
  const missing: Array<"balance" | "customer"> = [];
  if (mapping.balance === undefined) missing.push("balance");
  if (mapping.customerId === undefined && mapping.email === undefined) missing.push("customer");
  return missing;
}

/** Finds each field's column by its header; the first column with a name wins. */
export function recogniseHeader(header: string[]): HeaderRecognition {
  const mapping: ColumnMapping = {};
  const ignored: string[] = [];
  const keys = header.map(headerKey);
  keys.forEach((key, index) => {
    const field = BY_NAME.get(key);
    if (field && mapping[field] === undefined) mapping[field] = index;
    else if (key) ignored.push(header[index].trim());
  });
  const present = new Set(keys);
  const app = SIGNATURES.find((signature) => signature.headers.every((h) => present.has(h)))?.app ?? null;
  return { mapping, ignored, app, missing: missingFields(mapping) };
}

/**
 * The merchant's mapping from the dry run's form, { field: column index }, checked against the header: every
 * index names a column, no column holds two fields, and the balance and a customer column are there.
 */
export function mappingFromForm(
  header: string[],
  raw: unknown,
): { mapping: ColumnMapping; ignored: string[] } | { error: string } {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    return { error: "the column mapping is not valid" };
  const mapping: ColumnMapping = {};
  const used = new Set<number>();
  for (const [field, value] of Object.entries(raw as Record<string, unknown>)) {
    if (value === null || value === "" || value === undefined) continue;
    if (!(IMPORT_FIELDS as readonly string[]).includes(field)) return { error: `unknown field "${field}"` };
    const index = typeof value === "string" ? Number(value) : value;
    if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= header.length) {
      return { error: `the column for "${field}" is not in the file` };
    }
    if (used.has(index)) return { error: `column "${header[index]}" is mapped twice` };
    used.add(index);
    mapping[field as ImportField] = index;
  }
  const missing = missingFields(mapping);
  if (missing.includes("balance")) return { error: "map a column to the balance" };
  if (missing.includes("customer")) return { error: "map a column to the customer id or the email" };
  const ignored = header.filter((name, index) => !used.has(index) && name.trim()).map((name) => name.trim());
  return { mapping, ignored };
}
