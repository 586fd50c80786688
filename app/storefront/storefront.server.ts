import { expiryInstant } from "../shared/calendar";
import { historyKind } from "./history-kind";
import { formatMoney } from "../shared/money";
import type { ProgramSettings, Reward } from "../program/program";
import { qualifyingSince } from "../program/tiers";
import type { Member, Shop } from "../generated/prisma/client";
import type {
  CampaignBonus,
  HistoryPage,
  IssuedCode,
  StorefrontMember,
  StorefrontMembership,
  StorefrontProgram,
  StorefrontReward,
  StorefrontSummary,
} from "./storefront-api";
import { currentProgram, findInstalledShop } from "../shops/shops.server";
import { isMember } from "../members/membership";
import { qualifyingValues } from "../program/tiers.server";
import type { Tx } from "../db/transaction.server";
import { campaignLotsOf } from "../ledger/campaign-lots.server";

export const HISTORY_PAGE_SIZE = 20;

export function storefrontReward(reward: Reward, currency: string): StorefrontReward {
  return {
    id: reward.id,
    // A blank name shows the amount, which reads the same in every language.
    name: reward.name.trim() || formatMoney({ minor: reward.amountMinor, currency }),
    points: reward.points,
    amountMinor: reward.amountMinor,
    minimumSubtotalMinor: reward.minimumSubtotalMinor,
  };
}

function storefrontProgram(settings: ProgramSettings): StorefrontProgram {
  return {
    currency: settings.currency,
    earnRate: settings.earnRate,
    pointValueMinor: settings.pointValueMinor,
    signupBonus: settings.signupBonus,
    birthdayBonus: settings.birthdayBonus,
    actions: settings.actions.map(({ name, points }) => ({ name, points })),
    expiryDays: settings.expiryDays,
    tierBasis: settings.tiers.basis,
    tiers: [...settings.tiers.levels]
      .sort((a, b) => a.threshold - b.threshold)
      .map(({ id, name, threshold, earnExtraPercent }) => ({ id, name, threshold, earnExtraPercent })),
  };
}

/**
 * The points that expire first and when: the lots expiring soonest (every lot under lot expiry; a campaign
 * bonus with an expiry of its own under any mode), or with inactivity expiry the whole balance at once if that
 * comes first. Campaign bonuses among the lots are named.
 */
async function expiringSoon(
  tx: Tx,
  member: Member,
  settings: ProgramSettings,
  shop: Shop,
): Promise<StorefrontMember["expiringSoon"]> {
  const quiet =
    settings.expiryMode === "inactivity" &&
    settings.expiryDays !== null &&
    member.lastActivityAt &&
    member.pointsAvailable > 0
      ? { points: member.pointsAvailable, at: expiryInstant(member.lastActivityAt, settings.expiryDays, shop.timezone) }
      : null;
  const rows = await tx.$queryRaw<Array<{ at: Date; points: bigint }>>`
    SELECT "expiresAt" AS at, SUM(remaining) AS points FROM "Lot"
    WHERE "memberId" = ${member.id} AND remaining > 0 AND "expiresAt" IS NOT NULL
    GROUP BY "expiresAt" ORDER BY "expiresAt" LIMIT 1`;
  const first = rows[0];
  if (!first || (quiet && quiet.at.getTime() <= first.at.getTime())) {
    return quiet ? { points: quiet.points, at: quiet.at.toISOString() } : null;
  }
  const campaigns = await tx.$queryRaw<Array<{ name: string; points: bigint }>>`
    SELECT c->>'source' AS name, SUM(l.remaining) AS points
    FROM "Lot" l JOIN "LedgerEntry" e ON e.id = l."earnEntryId"
    CROSS JOIN LATERAL jsonb_array_elements(e.calculation->'campaignLots') c
    WHERE l."memberId" = ${member.id} AND l.remaining > 0 AND l."expiresAt" = ${first.at}
      AND c->>'campaignId' = e.calculation->>'lot'
    GROUP BY 1 ORDER BY 1`;
  return {
    points: Number(first.points),
    at: first.at.toISOString(),
    ...(campaigns.length ? { campaigns: campaigns.map((c) => ({ name: c.name, points: Number(c.points) })) } : {}),
  };
}

async function tierProgress(tx: Tx, member: Member, settings: ProgramSettings, shop: Shop, now: Date) {
  const levels = [...settings.tiers.levels].sort((a, b) => a.threshold - b.threshold);
  const current = levels.find((level) => level.id === member.tierId) ?? null;
  const next = levels.find((level) => level.threshold > (current?.threshold ?? -1)) ?? null;
  if (!next) return { tier: current, nextTier: null };
  const since = qualifyingSince(settings.tiers, now, shop.timezone);
  const value = (await qualifyingValues(tx, [member.id], settings, since)).get(member.id) ?? 0;
  return {
    tier: current,
    nextTier: { id: next.id, name: next.name, remaining: Math.max(0, next.threshold - value) },
  };
}

async function storefrontMember(
  tx: Tx,
  member: Member,
  settings: ProgramSettings,
  shop: Shop,
  now: Date,
): Promise<StorefrontMember> {
  const { tier, nextTier } = await tierProgress(tx, member, settings, shop, now);
  return {
    available: member.pointsAvailable,
    pending: member.pointsPending,
    debt: member.pointsDebt,
    expiringSoon: await expiringSoon(tx, member, settings, shop),
    tier: tier ? { id: tier.id, name: tier.name } : null,
    nextTier,
    blocked: member.blockedAt !== null,
  };
}

export async function issuedCodes(tx: Tx, memberId: string, now: Date): Promise<IssuedCode[]> {
  const codes = await tx.rewardCode.findMany({
    where: { memberId, status: "active", expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
  });
  return codes.map((code) => ({
    code: code.code,
    rewardName: code.rewardName,
    points: code.points,
    amountMinor: code.amountMinor,
    expiresAt: code.expiresAt.toISOString(),
  }));
}

/** One page of the member's points history, newest first; `before` is the last id of the previous page. */
export async function memberHistory(tx: Tx, memberId: string, before: bigint | null): Promise<HistoryPage> {
  const rows = await tx.ledgerEntry.findMany({
    where: {
      memberId,
      kind: { in: ["earn", "redeem", "reverse", "adjust", "expire"] },
      ...(before !== null ? { id: { lt: before } } : {}),
    },
    orderBy: { id: "desc" },
    take: HISTORY_PAGE_SIZE + 1,
    include: { lot: { select: { id: true, activatedAt: true, heldByCaseId: true } } },
  });
  const page = rows.slice(0, HISTORY_PAGE_SIZE);
  const orders = await orderNames(
    tx,
    page.flatMap((row) => (row.orderId ? [row.orderId] : [])),
    page[0]?.shopId,
  );
  // The lot an earn made, or the lot an expiry emptied: a campaign bonus among them is named.
  const lotOf = (row: (typeof page)[number]) =>
    row.lot?.id ?? (row.kind === "expire" && row.sourceType === "job" ? row.sourceId : null);
  const bonuses = new Map<string, CampaignBonus>(
    (
      await campaignLotsOf(
        tx,
        page.flatMap((row) => {
          const lotId = lotOf(row);
          return lotId ? [lotId] : [];
        }),
      )
    ).map((lot) => [lot.lotId, { name: lot.name, expiresAt: lot.expiresAt.toISOString() }]),
  );
  return {
    entries: page.flatMap((row) => {
      const kind = historyKind(row.kind, row.sourceType);
      if (!kind) return [];
      const lotId = lotOf(row);
      const campaign = lotId ? bonuses.get(lotId) : undefined;
      return [
        {
          id: row.id.toString(),
          at: row.occurredAt.toISOString(),
          kind,
          points: row.points,
          pending: row.kind === "earn" && row.lot !== null && row.lot.activatedAt === null,
          ...(row.kind === "earn" && row.lot?.activatedAt === null && row.lot.heldByCaseId !== null
            ? { review: true as const }
            : {}),
          orderName: row.orderId ? (orders.get(row.orderId) ?? null) : null,
          ...(campaign ? { campaign } : {}),
        },
      ];
    }),
    next: rows.length > HISTORY_PAGE_SIZE ? page[page.length - 1].id.toString() : null,
  };
}

async function orderNames(tx: Tx, orderIds: string[], shopId: string | undefined): Promise<Map<string, string>> {
  if (!shopId || orderIds.length === 0) return new Map();
  const orders = await tx.order.findMany({
    where: { shopId, orderId: { in: orderIds } },
    select: { orderId: true, name: true },
  });
  return new Map(orders.flatMap((order) => (order.name ? [[order.orderId, order.name] as const] : [])));
}

/** Everything the widget shows on open; null when the shop is not known to the app. */
export async function storefrontSummary(
  tx: Tx,
  shopDomain: string,
  customerId: string | null,
  now = new Date(),
): Promise<StorefrontSummary | null> {
  const shop = await findInstalledShop(tx, shopDomain);
  if (!shop) return null;
  const { settings } = await currentProgram(tx, shop);
  const member = customerId
    ? await tx.member.findUnique({ where: { shopId_customerId: { shopId: shop.id, customerId } } })
    : null;
  const program = storefrontProgram(settings);
  const rewards = settings.rewards.map((reward) => storefrontReward(reward, settings.currency));
  const { mode, termsVersion, termsUrl } = settings.membership;
  const membership: StorefrontMembership = {
    mode,
    member: customerId !== null && isMember(mode, member?.redactedAt ? null : member),
    termsVersion,
    termsUrl,
  };
  if (customerId === null) {
    return {
      loggedIn: false,
      program,
      membership,
      member: null,
      rewards,
      codes: [],
      history: { entries: [], next: null },
    };
  }
  if (!member || member.redactedAt) {
    // A logged-in customer the app has not seen yet: a member with nothing so far.
    const empty: StorefrontMember = {
      available: 0,
      pending: 0,
      debt: 0,
      expiringSoon: null,
      tier: null,
      nextTier: null,
      blocked: false,
    };
    const first = program.tiers[0];
    if (first) empty.nextTier = { id: first.id, name: first.name, remaining: first.threshold };
    return {
      loggedIn: true,
      program,
      membership,
      member: empty,
      rewards,
      codes: [],
      history: { entries: [], next: null },
    };
  }
  return {
    loggedIn: true,
    program,
    membership,
    member: await storefrontMember(tx, member, settings, shop, now),
    rewards,
    codes: await issuedCodes(tx, member.id, now),
    history: await memberHistory(tx, member.id, null),
  };
}

/** The member a logged-in shopper is in a shop, or null. */
export async function findStorefrontMember(tx: Tx, shopDomain: string, customerId: string) {
  const shop = await findInstalledShop(tx, shopDomain);
  if (!shop) return { shop: null, member: null };
  const member = await tx.member.findUnique({ where: { shopId_customerId: { shopId: shop.id, customerId } } });
  return { shop, member: member?.redactedAt ? null : member };
}
