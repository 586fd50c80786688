/**
 * Notifications at scale: BENCH_NOTIFY_MEMBERS members (default 100,000), each consenting to email and holding a lot
 * that expires in 7 days. Times the reminder planning (planExpiryReminders: one email and one Flow message per member
 * into the outbox) over all of them, then the delivery of the planned emails (deliverDueMessages, with the job's
 * defaults) through nodemailer into the local SMTP server of `npm run local`, running in this process as it does
 * there. Delivering is measured on the first BENCH_NOTIFY_SEND emails (default 10,000: all 100,000 take longer than
 * a bench should on a small machine); the others are left for later. Prints one JSON line.
 */
import "./env";
import { database } from "../app/db.server";
import { installLocalShop, LOCAL_SHOP } from "../app/local/local.server";
import { clearLocalMailbox, localMailbox, startLocalSmtp } from "../app/local/local-mailbox.server";
import { createMailer } from "../app/notifications/mailer.server";
import { planExpiryReminders } from "../app/notifications/reminders.server";
import { deliverDueMessages } from "../app/notifications/sender.server";
import { defaultNotificationSettings } from "../app/notifications/settings";

const MEMBERS = Number(process.env.BENCH_NOTIFY_MEMBERS ?? 100_000);
const SEND = Math.min(MEMBERS, Number(process.env.BENCH_NOTIFY_SEND ?? 10_000));

await database.migrate();
await installLocalShop(database.prisma);
const prisma = database.prisma;
const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: LOCAL_SHOP } });
// Quiet hours off and the daily cap at its maximum, so every reminder is due now; the sender's own address.
await prisma.notificationSettings.create({
  data: {
    shopId: shop.id,
    settings: {
      ...defaultNotificationSettings("ja"),
      quietHours: null,
      dailyCap: 20,
      senderName: "積み木ショップ",
      senderEmail: "points@tsumiki.local",
      contactAddress: "東京都千代田区1-1",
    },
  },
});

// Seed with set-based SQL: members (a quarter English-speaking), an earn entry each and its lot, expiring in 7 days.
const now = new Date();
const expiresAt = new Date(now.getTime() + 7 * 86_400_000 - 3_600_000);
await prisma.$executeRawUnsafe(`
  INSERT INTO "Member" (id, "shopId", "customerId", email, "firstName", "lastName", locale, "emailMarketingState",
                        "pointsAvailable", "updatedAt")
  SELECT 'm' || g, '${shop.id}', 'bench-' || g, 'member' || g || '@example.jp', '花子', '山田',
         CASE WHEN g % 4 = 0 THEN 'en' ELSE 'ja' END, 'SUBSCRIBED', 500, now()
  FROM generate_series(1, ${MEMBERS}) g`);
await prisma.$executeRawUnsafe(`
  INSERT INTO "LedgerEntry" ("shopId", "memberId", kind, points, reason, "sourceType", "idempotencyKey", "occurredAt")
  SELECT '${shop.id}', 'm' || g, 'earn', 500, 'bench', 'order', 'bench:' || g, now() - interval '358 days'
  FROM generate_series(1, ${MEMBERS}) g`);
await prisma.$executeRaw`
  INSERT INTO "Lot" (id, "shopId", "memberId", "earnEntryId", amount, remaining, "earnedAt", "availableAt", "activatedAt", "expiresAt")
  SELECT 'l' || e.id, e."shopId", e."memberId", e.id, 500, 500, e."occurredAt", e."occurredAt", e."occurredAt", ${expiresAt}
  FROM "LedgerEntry" e WHERE e."idempotencyKey" LIKE 'bench:%'`;

const seconds = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
  const started = performance.now();
  const result = await work();
  return [result, (performance.now() - started) / 1000];
};

const [planned, planSeconds] = await seconds(() => planExpiryReminders(prisma, now));
const emails = await prisma.message.count({ where: { channel: "email", kind: "expiry_reminder" } });
if (emails !== MEMBERS) throw new Error(`planned ${emails} reminder emails for ${MEMBERS} members`);
const [again, replanSeconds] = await seconds(() => planExpiryReminders(prisma, now));
if (again !== 0) throw new Error(`planning again recorded ${again} messages`);

// Only the first SEND emails are due; the rest wait a year.
if (SEND < MEMBERS) {
  await prisma.$executeRaw`
    UPDATE "Message" SET "nextAttemptAt" = ${new Date(now.getTime() + 365 * 86_400_000)}
    WHERE channel = 'email' AND id NOT IN (SELECT id FROM "Message" WHERE channel = 'email' ORDER BY id LIMIT ${SEND})`;
}

const smtp = await startLocalSmtp({ port: 0, host: "127.0.0.1" });
const mailer = createMailer(`smtp://127.0.0.1:${smtp.port}?tls=off`);
clearLocalMailbox();
// Planned messages are due from when they were recorded (the database's clock): deliver as of after that.
const sendNow = new Date(Date.now() + 1000);
const [report, sendSeconds] = await seconds(() => deliverDueMessages(prisma, mailer, { now: sendNow }));
if (report.sent !== SEND) throw new Error(`delivered ${JSON.stringify(report)}, expected ${SEND} sent`);
const latest = localMailbox()[0];
if (!latest?.listUnsubscribe || !/ポイント|points/i.test(latest.subject)) {
  throw new Error(`unexpected message in the local mailbox: ${latest?.subject}`);
}
mailer.close();
await smtp.close();

console.log(
  JSON.stringify({
    members: MEMBERS,
    planned,
    plannedPerSecond: planned / planSeconds,
    plannedMembersPerSecond: MEMBERS / planSeconds,
    replanSeconds,
    sent: report.sent,
    sentPerSecond: report.sent / sendSeconds,
    sendSeconds,
  }),
);
await database.close();
