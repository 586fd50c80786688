import { Prisma } from "../generated/prisma/client";
import type { Tx } from "../db/transaction.server";
import { isRfmSegment, RFM_SEGMENTS, type RfmSegment } from "../insights/rfm";

export const MEMBER_SORTS = [
  "balance",
  "lastActivity",
  "name",
  "joined",
  "pAlive",
  "expectedValue",
  "segment",
] as const;
export type MemberSort = (typeof MEMBER_SORTS)[number];

export interface MemberQuery {
  /** A name, an email, or a Shopify customer id; blank for everyone. */
  search: string;
  /** A tier id, "none" for members without a tier, or null for any. */
  tier: string | null;
  minBalance: number | null;
  maxBalance: number | null;
  /** Only members active (earned or spent) within this many days; negative: inactive for at least that many. */
  activeWithinDays: number | null;
  /** Only members in this RFM segment (from the shop's last insight fit). */
  segment?: RfmSegment | null;
  /**
   * "highValueAtRisk": at_risk or hibernating members whose mean order value is in the shop's top quartile (at or
   * above the 75th percentile of the fitted members' mean order values). Past spend, not the expected value: the
   * model's expected value already falls as P(alive) falls, so it would hide exactly the big spenders who are
   * slipping away.
   */
  preset?: "highValueAtRisk" | null;
  sort: MemberSort;
  direction: "asc" | "desc";
  page: number;
  pageSize: number;
}

export interface MemberRow {
  id: string;
  customerId: string;
  name: string;
  email: string | null;
  available: number;
  pending: number;
  tierId: string | null;
  lastActivityAt: string | null;
  blocked: boolean;
  /** From the shop's last insight fit; null for members it did not cover (no purchase yet, or no fit). */
  pAlive: number | null;
  expectedValueMinor: number | null;
  rfmSegment: RfmSegment | null;
}

export interface MemberPage {
  rows: MemberRow[];
  total: number;
  page: number;
  pageCount: number;
}

const ORDER: Record<MemberSort, Prisma.Sql> = {
  balance: Prisma.sql`"pointsAvailable"`,
  lastActivity: Prisma.sql`"lastActivityAt"`,
  name: Prisma.sql`lower(coalesce("lastName", '') || ' ' || coalesce("firstName", ''))`,
  joined: Prisma.sql`"Member"."createdAt"`,
  pAlive: Prisma.sql`i."pAlive"`,
  expectedValue: Prisma.sql`i."expectedValueMinor"`,
  // Best segment first when descending: champions … lost.
  segment: Prisma.sql`CASE i."rfmSegment" ${Prisma.join(
    RFM_SEGMENTS.map((name, rank) => Prisma.sql`WHEN ${name} THEN ${RFM_SEGMENTS.length - rank}`),
    " ",
  )} END`,
};

/** The expression the trigram index in migration 20261125160000_member_search covers; keep them identical. */
const HAYSTACK = Prisma.sql`lower(coalesce(email, '') || ' ' || coalesce("firstName", '') || ' ' || coalesce("lastName", '') || ' ' ||
        coalesce("lastName", '') || coalesce("firstName", ''))`;

/** Escapes LIKE wildcards so a search for "50%" finds "50%", not everything. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** One page of a shop's members, filtered and sorted in the database (never all 100,000 in memory). */
export async function searchMembers(tx: Tx, shopId: string, query: MemberQuery, now = new Date()): Promise<MemberPage> {
  const where: Prisma.Sql[] = [Prisma.sql`"Member"."shopId" = ${shopId}`, Prisma.sql`"redactedAt" IS NULL`];
  const search = query.search.trim();
  if (search) {
    const digits = search.replace(/^gid:\/\/shopify\/Customer\//, "");
    if (/^\d+$/.test(digits)) {
      where.push(Prisma.sql`"customerId" = ${digits}`);
    } else {
      // Every word must appear somewhere: "yamada hanako" and "hanako yamada" find the same person.
      for (const term of search.toLowerCase().split(/\s+/).slice(0, 5)) {
        where.push(Prisma.sql`${HAYSTACK} LIKE ${likePattern(term)}`);
      }
    }
  }
  if (query.tier === "none") where.push(Prisma.sql`"tierId" IS NULL`);
  else if (query.tier) where.push(Prisma.sql`"tierId" = ${query.tier}`);
  if (query.minBalance !== null) where.push(Prisma.sql`"pointsAvailable" >= ${query.minBalance}`);
  if (query.maxBalance !== null) where.push(Prisma.sql`"pointsAvailable" <= ${query.maxBalance}`);
  if (query.activeWithinDays !== null) {
    const since = new Date(now.getTime() - Math.abs(query.activeWithinDays) * 86_400_000);
    where.push(
      query.activeWithinDays >= 0
        ? Prisma.sql`"lastActivityAt" >= ${since}`
        : Prisma.sql`("lastActivityAt" IS NULL OR "lastActivityAt" < ${since})`,
    );
  }
  if (query.segment) where.push(Prisma.sql`i."rfmSegment" = ${query.segment}`);
  if (query.preset === "highValueAtRisk") {
    where.push(Prisma.sql`i."rfmSegment" IN ('at_risk', 'hibernating')`);
    where.push(Prisma.sql`i."monetaryMinor" >= (
      SELECT percentile_disc(0.75) WITHIN GROUP (ORDER BY q."monetaryMinor") FROM "MemberInsight" q
      WHERE q."shopId" = ${shopId})`);
  }
  const condition = Prisma.join(where, " AND ");
  const from = Prisma.sql`"Member" LEFT JOIN "MemberInsight" i ON i."memberId" = "Member".id`;
  const direction = query.direction === "asc" ? Prisma.sql`ASC` : Prisma.sql`DESC`;
  const nulls = query.direction === "asc" ? Prisma.sql`NULLS FIRST` : Prisma.sql`NULLS LAST`;
  const [rows, counted] = await Promise.all([
    tx.$queryRaw<
      Array<{
        id: string;
        customerId: string;
        firstName: string | null;
        lastName: string | null;
        email: string | null;
        pointsAvailable: number;
        pointsPending: number;
        tierId: string | null;
        lastActivityAt: Date | null;
        blockedAt: Date | null;
        pAlive: number | null;
        expectedValueMinor: number | null;
        rfmSegment: string | null;
      }>
    >`SELECT id, "customerId", "firstName", "lastName", email, "pointsAvailable", "pointsPending", "tierId",
             "lastActivityAt", "blockedAt", i."pAlive", i."expectedValueMinor", i."rfmSegment"
      FROM ${from} WHERE ${condition}
      ORDER BY ${ORDER[query.sort]} ${direction} ${nulls}, id
      LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`,
    tx.$queryRaw<Array<{ total: bigint }>>`SELECT count(*) AS total FROM ${from} WHERE ${condition}`,
  ]);
  const total = Number(counted[0]?.total ?? 0);
  return {
    rows: rows.map((row) => ({
      id: row.id,
      customerId: row.customerId,
      name: [row.lastName, row.firstName].filter(Boolean).join(" "),
      email: row.email,
      available: row.pointsAvailable,
      pending: row.pointsPending,
      tierId: row.tierId,
      lastActivityAt: row.lastActivityAt?.toISOString() ?? null,
      blocked: row.blockedAt !== null,
      pAlive: row.pAlive,
      expectedValueMinor: row.expectedValueMinor,
      rfmSegment: row.rfmSegment !== null && isRfmSegment(row.rfmSegment) ? row.rfmSegment : null,
    })),
    total,
    page: query.page,
    pageCount: Math.max(1, Math.ceil(total / query.pageSize)),
  };
}

/** Reads the customers page's query string; a value out of shape is an error with its reason. */
export function parseMemberQuery(params: URLSearchParams): MemberQuery | { error: string } {
  const number = (name: string): number | null | undefined => {
    const raw = params.get(name)?.trim();
    if (!raw) return null;
    return /^-?\d{1,9}$/.test(raw) ? Number(raw) : undefined;
  };
  const minBalance = number("min");
  const maxBalance = number("max");
  const activeWithinDays = number("active");
  const page = number("page") ?? 1;
  if (minBalance === undefined || maxBalance === undefined) return { error: "balance limits must be whole numbers" };
  if (minBalance !== null && maxBalance !== null && minBalance > maxBalance) {
    return { error: "the lowest balance is above the highest" };
  }
  if (activeWithinDays === undefined) return { error: "last activity must be a number of days" };
  if (page === undefined || page < 1) return { error: "page must be 1 or more" };
  const sort = (params.get("sort") ?? "balance") as MemberSort;
  if (!MEMBER_SORTS.includes(sort)) return { error: `sort by one of ${MEMBER_SORTS.join(", ")}` };
  const direction = params.get("direction") === "asc" ? "asc" : "desc";
  const segment = params.get("segment") || null;
  if (segment !== null && !isRfmSegment(segment)) return { error: `segment is one of ${RFM_SEGMENTS.join(", ")}` };
  const preset = params.get("preset") || null;
  if (preset !== null && preset !== "highValueAtRisk") return { error: "preset is highValueAtRisk" };
  return {
    search: (params.get("q") ?? "").slice(0, 200),
    tier: params.get("tier") || null,
    minBalance,
    maxBalance,
    activeWithinDays,
    segment,
    preset,
    sort,
    direction,
    page,
    pageSize: 50,
  };
}
