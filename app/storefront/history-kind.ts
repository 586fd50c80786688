import type { HistoryEntry } from "./storefront-api";

/**
 * What a ledger entry is in the shopper's terms, for the widget's history and the customer account's passbook alike;
 * null for entries that only move points between states (activations, holds and releases), which are not the
 * shopper's history.
 */
export function historyKind(kind: string, sourceType: string): HistoryEntry["kind"] | null {
  switch (kind) {
    case "earn":
      if (sourceType === "order") return "earn";
      if (sourceType === "import") return "adjust";
      return "bonus";
    case "redeem":
      return sourceType === "reward" ? "reward" : "redeem";
    case "reverse":
    case "adjust":
    case "expire":
      return kind;
    default:
      return null;
  }
}
