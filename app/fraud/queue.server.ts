import type { Prisma, ReviewStatus } from "../generated/prisma/client";
import type { Tx } from "../db/transaction.server";
import type { Evidence, RuleId } from "./signals";

export const REVIEW_STATUSES = ["open", "approved", "rejected"] as const satisfies readonly ReviewStatus[];
export const REVIEW_RULES = [
  "velocity",
  "large_order",
  "redeem_refund",
  "signup_farming",
  "flagged_redemption",
  "birthday_rebonus",
  "staff_outlier",
] as const satisfies readonly RuleId[];

/** Cases per page of the queue. */
export const REVIEW_PAGE_SIZE = 25;

export interface ReviewQuery {
  status: ReviewStatus;
  rule: RuleId | null;
  /** The id of the last case of the previous page; null for the first page. */
  cursor: string | null;
}

/** `?status=&rule=&cursor=` from the queue's URL: open cases of every rule by default. */
export function parseReviewQuery(params: URLSearchParams): ReviewQuery | { error: string } {
  const status = params.get("status") || "open";
  const rule = params.get("rule") || null;
  const cursor = params.get("cursor") || null;
  if (!(REVIEW_STATUSES as readonly string[]).includes(status)) {
    return { error: `status must be one of ${REVIEW_STATUSES.join(", ")}` };
  }
  if (rule !== null && !(REVIEW_RULES as readonly string[]).includes(rule)) {
    return { error: `rule must be one of ${REVIEW_RULES.join(", ")}` };
  }
  if (cursor !== null && !/^[\w-]{1,64}$/.test(cursor)) return { error: "cursor must be a review case id" };
  return { status: status as ReviewStatus, rule: rule as RuleId | null, cursor };
}

/** An order a case's evidence names, as the shop knows it (null fields when the app has not seen the order). */
export interface ReviewOrder {
  orderId: string;
  name: string | null;
  memberId: string | null;
  /** What the order earned points on, in the currency's minor units. */
  amountMinor: number;
  currency: string;
  pointsEarned: number;
  refundedMinor: number;
  placedAt: string | null;
  known: boolean;
}

export interface ReviewCaseRow {
  id: string;
  rule: RuleId;
  /** `fraud.<rule>.<case>`: the key of the translated summary, `figures` its parameters. */
  code: string;
  score: number;
  /** The English summary written when the case opened (logs, audit, a code the admin has no words for). */
  summary: string;
  figures: Record<string, number>;
  status: ReviewStatus;
  /** Points the case held when it opened. */
  points: number;
  /** Points still held by it now (0 once decided). */
  heldPoints: number;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  decisionReason: string | null;
  member: { id: string; name: string; customerId: string; blocked: boolean };
  orders: ReviewOrder[];
  /** Other members and staff the evidence names (signup farming's cluster, a staff outlier). */
  memberIds: string[];
  staffIds: string[];
}

export interface ReviewQueuePage {
  cases: ReviewCaseRow[];
  /** The cursor of the next page, null on the last. */
  nextCursor: string | null;
  /** Cases per status in the shop (for the filter's labels). */
  counts: Record<ReviewStatus, number>;
  currency: string;
}

/** The evidence as stored (JSON written by `holdInReview`), read defensively: a missing list is empty. */
function evidenceOf(value: Prisma.JsonValue): Evidence {
  const raw = (value && typeof value === "object" && !Array.isArray(value) ? value : {}) as Partial<Evidence>;
  const strings = (list: unknown) =>
    Array.isArray(list) ? list.filter((x): x is string => typeof x === "string") : [];
  const figures: Record<string, number> = {};
  for (const [key, figure] of Object.entries(raw.figures ?? {})) if (typeof figure === "number") figures[key] = figure;
  return {
    figures,
    orderIds: strings(raw.orderIds),
    memberIds: strings(raw.memberIds),
    staffIds: strings(raw.staffIds),
  };
}

const CASE_INCLUDE = {
  member: { select: { id: true, customerId: true, firstName: true, lastName: true, blockedAt: true } },
} as const;

type CaseWithMember = Prisma.ReviewCaseGetPayload<{ include: typeof CASE_INCLUDE }>;

/** Each case with its evidence's orders (from the Order table) and the points it still holds. */
async function rowsOf(db: Tx, shopId: string, currency: string, found: CaseWithMember[]): Promise<ReviewCaseRow[]> {
  const evidence = new Map(found.map((c) => [c.id, evidenceOf(c.evidence)]));
  const orderIds = [
    ...new Set(found.flatMap((c) => [...(c.orderId ? [c.orderId] : []), ...evidence.get(c.id)!.orderIds])),
  ];
  const [orders, held] = await Promise.all([
    orderIds.length
      ? db.order.findMany({ where: { shopId, orderId: { in: orderIds } } })
      : Promise.resolve([] as Awaited<ReturnType<typeof db.order.findMany>>),
    found.length
      ? db.lot.groupBy({
          by: ["heldByCaseId"],
          where: { heldByCaseId: { in: found.map((c) => c.id) } },
          _sum: { remaining: true },
        })
      : Promise.resolve([]),
  ]);
  const orderById = new Map(orders.map((o) => [o.orderId, o]));
  const heldBy = new Map(held.map((h) => [h.heldByCaseId, h._sum.remaining ?? 0]));
  return found.map((c) => {
    const ev = evidence.get(c.id)!;
    const named = ev.orderIds.length ? ev.orderIds : c.orderId ? [c.orderId] : [];
    return {
      id: c.id,
      rule: c.rule as RuleId,
      code: c.code,
      score: c.score,
      summary: c.summary,
      figures: ev.figures,
      status: c.status,
      points: c.points,
      heldPoints: heldBy.get(c.id) ?? 0,
      createdAt: c.createdAt.toISOString(),
      decidedAt: c.decidedAt?.toISOString() ?? null,
      decidedBy: c.decidedBy,
      decisionReason: c.decisionReason,
      member: {
        id: c.member.id,
        name: [c.member.lastName, c.member.firstName].filter(Boolean).join(" "),
        customerId: c.member.customerId,
        blocked: c.member.blockedAt !== null,
      },
      orders: named.map((orderId): ReviewOrder => {
        const order = orderById.get(orderId);
        return {
          orderId,
          name: order?.name ?? null,
          memberId: order?.memberId ?? null,
          amountMinor: order?.baseMinor ?? 0,
          currency: order?.currency ?? currency,
          pointsEarned: order?.pointsEarned ?? 0,
          refundedMinor: order?.refundedMinor ?? 0,
          placedAt: order?.placedAt?.toISOString() ?? null,
          known: order !== undefined,
        };
      }),
      memberIds: ev.memberIds.filter((id) => id !== c.memberId),
      staffIds: ev.staffIds,
    };
  });
}

/**
 * The review queue: a shop's cases in one status (and of one rule), newest first, a page at a time after `cursor`,
 * each with its member, the points it holds and the orders its evidence names.
 */
export async function reviewQueue(db: Tx, shopId: string, query: ReviewQuery): Promise<ReviewQueuePage> {
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { currency: true } });
  const where: Prisma.ReviewCaseWhereInput = {
    shopId,
    status: query.status,
    ...(query.rule ? { rule: query.rule } : {}),
  };
  const [found, byStatus] = await Promise.all([
    db.reviewCase.findMany({
      where,
      include: CASE_INCLUDE,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: REVIEW_PAGE_SIZE + 1,
      ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
    }),
    db.reviewCase.groupBy({ by: ["status"], where: { shopId }, _count: { _all: true } }),
  ]);
  const page = found.slice(0, REVIEW_PAGE_SIZE);
  const counts: Record<ReviewStatus, number> = { open: 0, approved: 0, rejected: 0 };
  for (const group of byStatus) counts[group.status] = group._count._all;
  return {
    cases: await rowsOf(db, shopId, shop.currency, page),
    nextCursor: found.length > REVIEW_PAGE_SIZE ? page[page.length - 1].id : null,
    counts,
    currency: shop.currency,
  };
}

/** A member's review cases for the passbook, newest first: status, rule, points held. */
export interface MemberReviewRow {
  id: string;
  rule: RuleId;
  code: string;
  status: ReviewStatus;
  points: number;
  heldPoints: number;
  createdAt: string;
  decidedAt: string | null;
  decisionReason: string | null;
}

export async function memberReviewCases(db: Tx, shopId: string, memberId: string): Promise<MemberReviewRow[]> {
  const cases = await db.reviewCase.findMany({
    where: { shopId, memberId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 50,
  });
  const held = cases.length
    ? await db.lot.groupBy({
        by: ["heldByCaseId"],
        where: { heldByCaseId: { in: cases.map((c) => c.id) } },
        _sum: { remaining: true },
      })
    : [];
  const heldBy = new Map(held.map((h) => [h.heldByCaseId, h._sum.remaining ?? 0]));
  return cases.map((c) => ({
    id: c.id,
    rule: c.rule as RuleId,
    code: c.code,
    status: c.status,
    points: c.points,
    heldPoints: heldBy.get(c.id) ?? 0,
    createdAt: c.createdAt.toISOString(),
    decidedAt: c.decidedAt?.toISOString() ?? null,
    decisionReason: c.decisionReason,
  }));
}
