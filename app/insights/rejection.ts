import type { AdminT } from "../i18n/catalog";

/**
 * Why a language model's text was not used. Stored as JSON in `InsightReport.rejectedReason`, not as a sentence, so
 * each admin reads it in their own language (the report page words it from the catalogs).
 */
export type Rejection =
  | { code: "noText" }
  | { code: "number"; number: string }
  | { code: "timeout"; seconds: number }
  | { code: "unreachable"; detail: string }
  | { code: "http"; status: number };

/** A reason stored before reasons were structured: its words, shown as they are. */
export type StoredRejection = Rejection | { code: "other"; detail: string };

export const encodeRejection = (rejection: Rejection): string => JSON.stringify(rejection);

const CODES = new Set(["noText", "number", "timeout", "unreachable", "http"]);

export function parseRejection(stored: string | null): StoredRejection | null {
  if (stored === null) return null;
  try {
    const value: unknown = JSON.parse(stored);
    if (typeof value === "object" && value !== null && CODES.has(String((value as { code?: unknown }).code)))
      return value as Rejection;
  } catch {
    // Not JSON: an older row's sentence.
  }
  return { code: "other", detail: stored };
}

/** Why the model's text was not used, in the admin's language. */
export function rejectionText(rejection: StoredRejection, t: AdminT): string {
  switch (rejection.code) {
    case "number":
      return t("insightReport.rejection.number", { number: rejection.number });
    case "noText":
      return t("insightReport.rejection.noText");
    case "timeout":
      return t("insightReport.rejection.timeout", { seconds: rejection.seconds });
    case "unreachable":
      return t("insightReport.rejection.unreachable", { detail: rejection.detail });
    case "http":
      return t("insightReport.rejection.http", { status: rejection.status });
    case "other":
      return rejection.detail;
  }
}
