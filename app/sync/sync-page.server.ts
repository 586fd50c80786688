import type { BulkOperation, PrismaClient } from "../generated/prisma/client";
import { adminT } from "../i18n/catalog";
import type { AdminLocale } from "../i18n/admin-locale";
import { startCatalogueSync } from "../earning/catalogue.server";
import { requireInstalledShop } from "../shops/shops.server";
import type { StartResult } from "./bulk-operations.server";
import { applyInBackground } from "./bulk-results.server";
import { BULK_KINDS, MAX_APPLY_ATTEMPTS, syncPhase, type BulkKind, type SyncPhase } from "./bulk-state";
import { startCustomerSync } from "./customers.server";

/** One kind's latest sync as the page shows it. */
export interface SyncView {
  kind: BulkKind;
  phase: SyncPhase;
  status: string;
  errorCode: string | null;
  /** Why the sync wrote nothing, in the admin's language; null when nothing went wrong. */
  error: string | null;
  /** Whether the scheduled job will try to apply a refused result again. */
  retrying: boolean;
  objectCount: number | null;
  processed: number;
  requestedBy: string | null;
  createdAt: string;
  completedAt: string | null;
  processedAt: string | null;
}

const detailOf = (operation: BulkOperation) => (operation.errorDetail ?? {}) as Record<string, string | number>;

/** The reason a sync wrote nothing, in the admin's words. */
function errorMessage(operation: BulkOperation, locale: AdminLocale): string | null {
  const t = adminT(locale);
  const phase = syncPhase(operation);
  if (operation.error === "rejected")
    return t("sync.errors.rejected", { message: String(detailOf(operation).message) });
  if (phase === "failed") {
    return t("sync.errors.shopify", { status: operation.status, code: operation.errorCode ?? "—" });
  }
  const detail = detailOf(operation);
  switch (operation.error) {
    case null:
      return null;
    case "incomplete":
      return t("sync.errors.incomplete", { lines: Number(detail.lines), expected: Number(detail.expected) });
    case "invalid_line":
      return t("sync.errors.invalidLine", { line: Number(detail.line) });
    case "download":
      return t("sync.errors.download", { status: String(detail.status) });
    default:
      return t("sync.errors.applyFailed", { message: String(detail.message ?? operation.error) });
  }
}

function view(operation: BulkOperation, locale: AdminLocale): SyncView {
  const phase = syncPhase(operation);
  return {
    kind: operation.kind as BulkKind,
    phase,
    status: operation.status,
    errorCode: operation.errorCode,
    error: errorMessage(operation, locale),
    retrying: phase === "refused" && operation.attempts < MAX_APPLY_ATTEMPTS,
    objectCount: operation.objectCount,
    processed: operation.processed,
    requestedBy: operation.requestedBy,
    createdAt: operation.createdAt.toISOString(),
    completedAt: operation.completedAt?.toISOString() ?? null,
    processedAt: operation.processedAt?.toISOString() ?? null,
  };
}

/** The latest operation of each kind the shop has synced (customers and the catalogue always listed). */
export async function syncOverview(
  db: PrismaClient,
  shopDomain: string,
  locale: AdminLocale,
): Promise<{ kinds: Array<{ kind: BulkKind; latest: SyncView | null }> }> {
  const shop = await requireInstalledShop(db, shopDomain);
  const kinds = await Promise.all(
    BULK_KINDS.map(async (kind) => {
      const latest = await db.bulkOperation.findFirst({
        where: { shopId: shop.id, kind },
        orderBy: { createdAt: "desc" },
      });
      return { kind, latest: latest ? view(latest, locale) : null };
    }),
  );
  return { kinds: kinds.filter(({ kind, latest }) => kind !== "orders" || latest) };
}

/** The merchant's "Sync now": starts the kind's bulk query unless one is already under way. */
export async function requestSync(
  db: PrismaClient,
  shopDomain: string,
  kind: "customers" | "products",
  actor: string,
): Promise<StartResult> {
  const start = kind === "customers" ? startCustomerSync : startCatalogueSync;
  const result = await start(db, shopDomain, actor);
  // Shopify answers CREATED and sends bulk_operations/finish later; an operation already complete (local mode's
  // stand-in) has no webhook to wait for.
  if (result.operation.status === "COMPLETED") applyInBackground(db, shopDomain);
  return result;
}

/** What the page says after a "Sync now", in the admin's words. */
export function startMessage(
  result: StartResult,
  locale: AdminLocale,
): { tone: "success" | "info" | "critical"; text: string } {
  const t = adminT(locale);
  switch (result.outcome) {
    case "started":
      return { tone: "success", text: t("sync.started") };
    case "queued":
      return { tone: "info", text: t("sync.queued") };
    case "busy":
      return { tone: "info", text: t("sync.busy") };
    case "rejected":
      return { tone: "critical", text: errorMessage(result.operation, locale) ?? t("sync.phase.failed") };
  }
}
