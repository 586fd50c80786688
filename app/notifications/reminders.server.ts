import type { PrismaClient, Shop } from "../generated/prisma/client";
import { expiryInstant, localDate, startOfLocalDay } from "../shared/calendar";
import { withDefaults, type ProgramSettings } from "../program/program";
import { shopNotificationSettings } from "./context.server";

const DAY_MS = 86_400_000;

// Members a marketing message may go to at all: the sender checks again at delivery, this keeps members without
// consent out of the outbox (100,000 "skipped" rows a night would bury the messages that matter).
const CONSENTED = `m."redactedAt" IS NULL AND m."blockedAt" IS NULL AND m."leftAt" IS NULL AND m.email IS NOT NULL
  AND m."emailUnsubscribedAt" IS NULL AND (m."emailMarketingState" = 'SUBSCRIBED' OR m."pointsNewsEmails")`;

/**
 * Plans reminders before points expire. For each offset (e.g. 30 and 7 days) a member gets one reminder per expiry
 * date, summing the lots that expire then; a lot first seen inside several windows (earned 5 days before it expires)
 * gets only the nearest offset's. Set-wise, keyed by member, expiry and offset under the outbox's unique key: running
 * every minute, or again after a crash, plans nothing twice. Returns the messages recorded (email and Flow).
 * Every planner here makes its messages due at its own `now`, the job's clock, not the database's: what is due is
 * decided by one clock, however the job was started.
 */
export async function planExpiryReminders(prisma: PrismaClient, now = new Date()): Promise<number> {
  let planned = 0;
  for (const shop of await prisma.shop.findMany({ where: { uninstalledAt: null } })) {
    const settings = await shopNotificationSettings(prisma, shop);
    const offsets = [...settings.reminderDays].sort((a, b) => a - b);
    const channels = [
      ...(settings.enabled.expiry_reminder ? [{ channel: "email", filter: CONSENTED }] : []),
      ...(settings.flow ? [{ channel: "flow", filter: `m."redactedAt" IS NULL` }] : []),
    ];
    const version = await prisma.programVersion.findFirst({ where: { shopId: shop.id }, orderBy: { version: "desc" } });
    const program = version ? withDefaults(version.settings as unknown as ProgramSettings) : null;
    if (program?.expiryMode === "inactivity" && program.expiryDays !== null) {
      for (const { channel, filter } of channels) {
        planned += await planInactivityReminders(prisma, shop, program.expiryDays, offsets, channel, filter, now);
      }
      continue;
    }
    for (const { channel, filter } of channels) {
      let from = now;
      for (const days of offsets) {
        const until = new Date(now.getTime() + days * DAY_MS);
        planned += await prisma.$executeRawUnsafe(
          `INSERT INTO "Message" (id, "shopId", "memberId", kind, channel, "eventKey", data, "nextAttemptAt")
           SELECT gen_random_uuid()::text, $1, l."memberId", 'expiry_reminder', $2,
                  'expiry:' || l."memberId" || ':' || to_char(l."expiresAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || ':' || $3::int,
                  jsonb_build_object('points', SUM(l.remaining),
                                     'expiresAt', to_char(l."expiresAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                                     'days', $3::int),
                  $6
           FROM "Lot" l JOIN "Member" m ON m.id = l."memberId"
           WHERE l."shopId" = $1 AND l.remaining > 0 AND l."expiresAt" > $4 AND l."expiresAt" <= $5 AND ${filter}
           GROUP BY l."memberId", l."expiresAt"
           ON CONFLICT ("shopId", channel, "eventKey") DO NOTHING`,
          shop.id,
          channel,
          days,
          from,
          until,
          now,
        );
        from = until;
      }
    }
  }
  return planned;
}

/**
 * In a program whose balance expires after a quiet period, the whole available balance expires at the end of the
 * shop-local day `days` after the member's last earn or spend: reminded as a lot would be, per offset, keyed by that
 * date (activity since moves the date, and so the key: the reminders start again for the new date).
 */
async function planInactivityReminders(
  prisma: PrismaClient,
  shop: Shop,
  days: number,
  offsets: number[],
  channel: string,
  filter: string,
  now: Date,
): Promise<number> {
  const furthest = offsets[offsets.length - 1];
  // A superset by the clock (a day either side); each member's own expiry instant decides below.
  const candidates = await prisma.$queryRawUnsafe<Array<{ id: string; lastActivityAt: Date; points: number }>>(
    `SELECT m.id, m."lastActivityAt", m."pointsAvailable" AS points FROM "Member" m
     WHERE m."shopId" = $1 AND m."pointsAvailable" > 0 AND m."lastActivityAt" > $2 AND m."lastActivityAt" <= $3 AND ${filter}`,
    shop.id,
    new Date(now.getTime() - (days + 1) * DAY_MS),
    new Date(now.getTime() - (days - furthest - 1) * DAY_MS),
  );
  const rows: Array<{ memberId: string; key: string; data: string }> = [];
  for (const member of candidates) {
    const expiresAt = expiryInstant(member.lastActivityAt, days, shop.timezone);
    const left = expiresAt.getTime() - now.getTime();
    const offset = offsets.find((d) => left > 0 && left <= d * DAY_MS);
    if (offset === undefined) continue;
    rows.push({
      memberId: member.id,
      key: `expiry:${member.id}:${expiresAt.toISOString()}:${offset}`,
      data: JSON.stringify({
        points: member.points,
        expiresAt: expiresAt.toISOString(),
        days: offset,
        mode: "inactivity",
        lastActivityAt: member.lastActivityAt.toISOString(),
      }),
    });
  }
  if (rows.length === 0) return 0;
  return prisma.$executeRaw`
    INSERT INTO "Message" (id, "shopId", "memberId", kind, channel, "eventKey", data, "nextAttemptAt")
    SELECT gen_random_uuid()::text, ${shop.id}, r."memberId", 'expiry_reminder', ${channel}, r.key, r.data::jsonb, ${now}
    FROM unnest(${rows.map((r) => r.memberId)}::text[], ${rows.map((r) => r.key)}::text[], ${rows.map((r) => r.data)}::text[])
      AS r("memberId", key, data)
    ON CONFLICT ("shopId", channel, "eventKey") DO NOTHING`;
}

/** Plans the reminder that an unused reward code ends soon: once per code, `rewardExpiringDays` before its end. */
export async function planRewardCodeReminders(prisma: PrismaClient, now = new Date()): Promise<number> {
  let planned = 0;
  for (const shop of await prisma.shop.findMany({ where: { uninstalledAt: null } })) {
    const settings = await shopNotificationSettings(prisma, shop);
    if (!settings.enabled.reward_expiring) continue;
    const until = new Date(now.getTime() + settings.rewardExpiringDays * DAY_MS);
    planned += await prisma.$executeRawUnsafe(
      `INSERT INTO "Message" (id, "shopId", "memberId", kind, channel, "eventKey", data, "nextAttemptAt")
       SELECT gen_random_uuid()::text, $1, c."memberId", 'reward_expiring', 'email', 'reward:' || c.id || ':expiring',
              jsonb_build_object('name', c."rewardName", 'code', c.code, 'points', c.points,
                                 'expiresAt', to_char(c."expiresAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
              $2
       FROM "RewardCode" c JOIN "Member" m ON m.id = c."memberId"
       WHERE c."shopId" = $1 AND c.status = 'active' AND c."expiresAt" > $2 AND c."expiresAt" <= $3 AND ${CONSENTED}
       ON CONFLICT ("shopId", channel, "eventKey") DO NOTHING`,
      shop.id,
      now,
      until,
    );
  }
  return planned;
}

/** The shop-local month before `now`'s: its first instant, the next month's first instant, and its label. */
export function previousMonth(now: Date, timezone: string): { start: Date; end: Date; year: number; month: number } {
  const today = localDate(now, timezone);
  const [year, month] = today.split("-").map(Number);
  const prevYear = month === 1 ? year - 1 : year;
  const prevMonth = month === 1 ? 12 : month - 1;
  const pad = (n: number) => String(n).padStart(2, "0");
  return {
    start: startOfLocalDay(`${prevYear}-${pad(prevMonth)}-01`, timezone),
    end: startOfLocalDay(`${year}-${pad(month)}-01`, timezone),
    year: prevYear,
    month: prevMonth,
  };
}

/**
 * Plans the monthly statement (ポイント明細) of the month just ended for each consenting member whose points moved in
 * it, when the merchant turned statements on. The lines are read from the ledger when the message is sent. Once a
 * month per shop: the first run of a new month plans them all in one statement, later runs find them planned.
 */
export async function planMonthlyStatements(prisma: PrismaClient, now = new Date()): Promise<number> {
  let planned = 0;
  for (const shop of await prisma.shop.findMany({ where: { uninstalledAt: null } })) {
    const settings = await shopNotificationSettings(prisma, shop);
    if (!settings.enabled.monthly_statement) continue;
    const month = previousMonth(now, shop.timezone);
    const label = `${month.year}-${String(month.month).padStart(2, "0")}`;
    const done = await prisma.message.findFirst({
      where: {
        shopId: shop.id,
        channel: "email",
        eventKey: { gte: `statement:${label}:`, lt: `statement:${label};` },
      },
      select: { id: true },
    });
    if (done) continue;
    planned += await prisma.$executeRawUnsafe(
      `INSERT INTO "Message" (id, "shopId", "memberId", kind, channel, "eventKey", data, "nextAttemptAt")
       SELECT gen_random_uuid()::text, $1, m.id, 'monthly_statement', 'email', 'statement:' || $2 || ':' || m.id,
              jsonb_build_object('year', $3::int, 'month', $4::int), $7
       FROM "Member" m
       WHERE m."shopId" = $1 AND ${CONSENTED}
         AND EXISTS (SELECT 1 FROM "LedgerEntry" e WHERE e."memberId" = m.id AND e.points <> 0
                       AND e."occurredAt" >= $5 AND e."occurredAt" < $6)
       ON CONFLICT ("shopId", channel, "eventKey") DO NOTHING`,
      shop.id,
      label,
      month.year,
      month.month,
      month.start,
      month.end,
      now,
    );
  }
  return planned;
}
