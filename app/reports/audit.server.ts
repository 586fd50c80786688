import type { Prisma } from "../generated/prisma/client";
import type { Tx } from "../db/transaction.server";

export const AUDIT_PAGE_SIZE = 50;

export interface AuditQuery {
  /** An action or its family: "member" matches member.adjusted, member.blocked… */
  action: string;
  actor: string;
  subject: string;
  before: bigint | null;
}

export interface AuditLine {
  id: string;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  before: Prisma.JsonValue;
  after: Prisma.JsonValue;
}

export function parseAuditQuery(params: URLSearchParams): AuditQuery | { error: string } {
  const before = params.get("before");
  if (before !== null && !/^\d{1,18}$/.test(before)) return { error: "before must be an audit entry id" };
  return {
    action: (params.get("action") ?? "").trim().slice(0, 100),
    actor: (params.get("actor") ?? "").trim().slice(0, 100),
    subject: (params.get("subject") ?? "").trim().slice(0, 200),
    before: before === null ? null : BigInt(before),
  };
}

/** Every staff action and settings change, newest first, filtered. */
export async function auditLog(tx: Tx, shopId: string, query: AuditQuery) {
  const rows = await tx.auditLog.findMany({
    where: {
      shopId,
      ...(query.action ? { OR: [{ action: query.action }, { action: { startsWith: `${query.action}.` } }] } : {}),
      ...(query.actor ? { actor: { contains: query.actor, mode: "insensitive" as const } } : {}),
      ...(query.subject ? { subject: { contains: query.subject, mode: "insensitive" as const } } : {}),
      ...(query.before !== null ? { id: { lt: query.before } } : {}),
    },
    orderBy: { id: "desc" },
    take: AUDIT_PAGE_SIZE + 1,
  });
  const page = rows.slice(0, AUDIT_PAGE_SIZE);
  const actions = await tx.auditLog.findMany({ where: { shopId }, distinct: ["action"], select: { action: true } });
  return {
    lines: page.map((row): AuditLine => ({
      id: row.id.toString(),
      at: row.createdAt.toISOString(),
      actor: row.actor,
      action: row.action,
      subject: row.subject,
      before: row.before,
      after: row.after,
    })),
    next: rows.length > AUDIT_PAGE_SIZE ? page[page.length - 1].id.toString() : null,
    actions: actions.map((a) => a.action).sort(),
  };
}
