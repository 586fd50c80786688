import type { Shop } from "../generated/prisma/client";
import type { Tx } from "../db/transaction.server";
import { privacyAnswerDue, type PrivacyExport } from "./privacy-export";

export interface PrivacyRequestLine {
  id: string;
  customerId: string;
  receivedAt: string;
  dueAt: string;
  answeredAt: string | null;
  answeredBy: string | null;
  /** Unanswered past its due date. */
  overdue: boolean;
  /** Whether the app held any data about the customer when the request came. */
  holdsData: boolean;
}

export class PrivacyRequestNotFound extends Error {}

/** The shop's data requests, unanswered first, then newest first. */
export async function listPrivacyRequests(tx: Tx, shopDomain: string, now = new Date()): Promise<PrivacyRequestLine[]> {
  const rows = await tx.privacyRequest.findMany({
    where: { shopDomain },
    orderBy: [{ createdAt: "desc" }],
    take: 500,
  });
  const lines = rows.map((row) => {
    const due = privacyAnswerDue(row.createdAt);
    return {
      id: row.id,
      customerId: row.customerId,
      receivedAt: row.createdAt.toISOString(),
      dueAt: due.toISOString(),
      answeredAt: row.answeredAt?.toISOString() ?? null,
      answeredBy: row.answeredBy,
      overdue: !row.answeredAt && due < now,
      holdsData: !("held" in (row.export as object)),
    };
  });
  return [...lines.filter((line) => !line.answeredAt), ...lines.filter((line) => line.answeredAt)];
}

/** One request's prepared export, only for the shop it belongs to. */
export async function privacyRequestExport(
  tx: Tx,
  shopDomain: string,
  id: string,
): Promise<{ customerId: string; receivedAt: Date; data: PrivacyExport }> {
  const row = await tx.privacyRequest.findFirst({ where: { id, shopDomain } });
  if (!row) throw new PrivacyRequestNotFound(`no data request ${id}`);
  return { customerId: row.customerId, receivedAt: row.createdAt, data: row.export as unknown as PrivacyExport };
}

/** Staff sent the data to the customer: recorded once with who did it, and audited. */
export async function markPrivacyRequestAnswered(tx: Tx, shop: Shop, id: string, actor: string, now = new Date()) {
  const row = await tx.privacyRequest.findFirst({ where: { id, shopDomain: shop.domain } });
  if (!row) throw new PrivacyRequestNotFound(`no data request ${id}`);
  if (row.answeredAt) return { answeredAt: row.answeredAt.toISOString(), alreadyAnswered: true };
  await tx.privacyRequest.update({ where: { id }, data: { answeredAt: now, answeredBy: actor } });
  await tx.auditLog.create({
    data: { shopId: shop.id, actor, action: "privacy.answered", subject: `customer ${row.customerId}` },
  });
  return { answeredAt: now.toISOString(), alreadyAnswered: false };
}

/** A download of the export is itself recorded: personal data left the app. */
export async function auditPrivacyDownload(tx: Tx, shop: Shop, customerId: string, format: string, actor: string) {
  await tx.auditLog.create({
    data: { shopId: shop.id, actor, action: `privacy.downloaded.${format}`, subject: `customer ${customerId}` },
  });
}
