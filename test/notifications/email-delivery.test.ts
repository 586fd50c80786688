import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { earn } from "../../app/ledger/ledger.server";
import { lockMemberById } from "../../app/members/members.server";
import { defaultProgram, type ProgramSettings } from "../../app/program/program";
import { saveProgram } from "../../app/program/programs.server";
import { awardBirthdays } from "../../app/program/bonuses.server";
import { localDate } from "../../app/shared/calendar";
import { createMailer } from "../../app/notifications/mailer.server";
import { pruneMessages, recordMessage } from "../../app/notifications/outbox.server";
import { planExpiryReminders, planMonthlyStatements } from "../../app/notifications/reminders.server";
import { deliverDueMessages, retryFailedMessages } from "../../app/notifications/sender.server";
import { defaultNotificationSettings, type NotificationSettings } from "../../app/notifications/settings";
import { MAX_ATTEMPTS } from "../../app/notifications/retry";
import * as unsubscribeRoute from "../../app/routes/notifications.unsubscribe";
import type { Member, Shop } from "../../app/generated/prisma/client";
import { installShop } from "../support/fixtures";
import { deliver, redeliver, callAction } from "../support/routes";
import { orderPayload, uniqueId } from "../support/payloads";
import { webhookRequest } from "../support/shopify";
import { startTestSmtp } from "../support/smtp";
import { expectBalancesMatchLedger } from "../support/invariants";

const SHOP = "notify-test.myshopify.com";
const DAY = 86_400_000;
// 12:00 in Tokyo on 1 December 2026: outside quiet hours, the first day of a month.
const NOW = new Date("2026-12-01T03:00:00Z");
const env = { MAIL_FROM: "fallback@tsumiki.test" };

let shop: Shop;
let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
let mailer: ReturnType<typeof createMailer>;
const program: ProgramSettings = { ...defaultProgram("JPY"), expiryDays: 30 };

const settings: NotificationSettings = {
  ...defaultNotificationSettings("ja"),
  senderName: "積み木ストア",
  senderEmail: "points@tsumiki-shop.jp",
  contactAddress: "東京都渋谷区神南1-2-3",
  contactEmail: "support@tsumiki-shop.jp",
  quietHours: null,
};

async function useSettings(change: Partial<NotificationSettings> = {}) {
  const value = JSON.parse(JSON.stringify({ ...settings, ...change }));
  await prisma.notificationSettings.upsert({
    where: { shopId: shop.id },
    create: { shopId: shop.id, settings: value },
    update: { settings: value },
  });
}

async function newMember(options: { locale?: string; consent?: boolean; first?: string; last?: string } = {}) {
  const id = uniqueId();
  return prisma.member.create({
    data: {
      shopId: shop.id,
      customerId: String(id),
      email: `member${id}@example.jp`,
      firstName: options.first ?? "花子",
      lastName: options.last ?? "山田",
      locale: options.locale ?? "ja",
      emailMarketingState: options.consent === false ? "NOT_SUBSCRIBED" : "SUBSCRIBED",
    },
  });
}

/** Points earned long enough ago that they expire `daysLeft` shop-local days from NOW. */
async function earnExpiring(member: Member, points: number, daysLeft: number) {
  await prisma.$transaction(async (tx) => {
    const locked = await lockMemberById(tx, member.id);
    await earn(tx, locked, points, program, shop.timezone, {
      reason: "test",
      sourceType: "staff",
      idempotencyKey: `test:${member.id}:${points}:${daysLeft}`,
      occurredAt: new Date(NOW.getTime() - (30 - daysLeft) * DAY),
    });
  });
}

const mailTo = (member: Member) => smtp.received.filter((mail) => mail.envelopeTo.includes(member.email!));
const messagesOf = (member: Member, kind?: string) =>
  prisma.message.findMany({ where: { memberId: member.id, ...(kind ? { kind } : {}) }, orderBy: { createdAt: "asc" } });
/** The List-Unsubscribe header's URL, as a mail client reads it (headers may be folded over lines). */
const unsubscribeLink = (raw: string) =>
  String(raw.replace(/\r?\n[ \t]+/g, " ").match(/^List-Unsubscribe: <([^>]+)>$/im)?.[1]);
const send = (now = NOW) => deliverDueMessages(prisma, mailer, { now, env });
/** For messages recorded by a webhook or a saved program, due when recorded (the real clock): `ms` after the later of the two clocks. */
const afterRecorded = (ms = 0) => new Date(Math.max(NOW.getTime(), Date.now()) + ms);

describe("email notifications through a real SMTP server", () => {
  let hanako: Member;
  let john: Member;
  let quiet: Member;

  beforeAll(async () => {
    shop = await installShop(SHOP);
    smtp = await startTestSmtp();
    mailer = createMailer(smtp.url);
    await useSettings();
    hanako = await newMember();
    john = await newMember({ locale: "en-US", first: "John", last: "Smith" });
    quiet = await newMember({ consent: false });
    for (const member of [hanako, john, quiet]) await earnExpiring(member, 500, 6);
  });

  afterAll(async () => {
    mailer.close();
    await smtp.close();
  });

  it("a lot expiring within 7 days gets exactly one reminder per offset, however often the job runs", async () => {
    for (let minute = 0; minute < 10; minute += 1)
      await planExpiryReminders(prisma, new Date(NOW.getTime() + minute * 60_000));
    const reminders = await messagesOf(hanako, "expiry_reminder");
    // The 30-day window also holds it, but a lot first seen 6 days before its end gets the nearest offset's only.
    expect(
      reminders.map((m) => [m.channel, (m.data as { days: number }).days, (m.data as { points: number }).points]),
    ).toEqual([
      ["email", 7, 500],
      ["flow", 7, 500],
    ]);
    // Without marketing consent: no email is planned (the Flow trigger still fires; Flow decides).
    expect((await messagesOf(quiet, "expiry_reminder")).map((m) => m.channel)).toEqual(["flow"]);

    const later = await newMember();
    await earnExpiring(later, 300, 20);
    await planExpiryReminders(prisma, NOW);
    await planExpiryReminders(prisma, new Date(NOW.getTime() + 14 * DAY));
    await planExpiryReminders(prisma, new Date(NOW.getTime() + 14 * DAY + 60_000));
    const offsets = (await messagesOf(later, "expiry_reminder")).filter((m) => m.channel === "email");
    expect(offsets.map((m) => (m.data as { days: number }).days)).toEqual([30, 7]);
    await prisma.message.deleteMany({ where: { memberId: later.id } });
  });

  it("delivers MIME a mail client reads: language, encoded Japanese, sender identification, one-click unsubscribe", async () => {
    const report = await send();
    expect(report.sent).toBe(2);
    const [ja] = mailTo(hanako);
    expect(ja.parsed.subject).toMatch(/^500ポイントの有効期限は2026年12月\d+日です$/);
    // Japanese in a header is MIME-encoded (RFC 2047) as UTF-8; the body is UTF-8 too.
    expect(ja.raw).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/im);
    expect(ja.raw).toMatch(/Content-Type: text\/plain; charset=utf-8/i);
    expect(ja.parsed.from?.value[0]).toEqual({ name: "積み木ストア", address: "points@tsumiki-shop.jp" });
    expect(ja.parsed.replyTo?.value[0].address).toBe("support@tsumiki-shop.jp");
    expect(ja.parsed.headers.get("content-language")).toBe("ja");
    expect(ja.parsed.text).toContain("山田 花子 様");
    expect(ja.parsed.text).toContain("所在地: 東京都渋谷区神南1-2-3");
    expect(ja.parsed.html).toContain('<html lang="ja">');
    const unsubscribe = unsubscribeLink(ja.raw);
    expect(unsubscribe).toMatch(/^https:\/\/tsumiki\.test\/notifications\/unsubscribe\?token=/);
    expect(ja.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    expect(ja.parsed.messageId).toMatch(/@tsumiki\.test>$/);

    const [en] = mailTo(john);
    expect(en.parsed.subject).toMatch(/^500 points expire on \d+ December 2026$/);
    expect(en.parsed.text).toContain("Hi John,");
    expect(en.parsed.headers.get("content-language")).toBe("en");

    const sent = (await messagesOf(hanako, "expiry_reminder")).find((m) => m.channel === "email")!;
    expect(sent).toMatchObject({ status: "sent", attempts: 1, recipient: hanako.email, locale: "ja" });
    expect(sent.subject).toBe(ja.parsed.subject);
    // Nothing is sent twice.
    expect((await send(new Date(NOW.getTime() + 60_000))).sent).toBe(0);
    expect(mailTo(hanako)).toHaveLength(1);
  });

  it("a process killed between recording and sending, or while sending, still sends each message once", async () => {
    const member = await newMember();
    await earnExpiring(member, 200, 3);
    // Killed after recording: the outbox holds the message; the next run sends it.
    await planExpiryReminders(prisma, NOW);
    // Killed after claiming, before the SMTP conversation: the claim holds it from other senders until it lapses.
    await prisma.message.updateMany({
      where: { memberId: member.id, channel: "email" },
      data: { status: "sending", lockedUntil: new Date(NOW.getTime() + 5 * 60_000) },
    });
    for (let minute = 0; minute < 5; minute += 1) {
      await planExpiryReminders(prisma, new Date(NOW.getTime() + minute * 60_000));
      await send(new Date(NOW.getTime() + minute * 60_000));
    }
    expect(mailTo(member)).toHaveLength(0);
    for (let minute = 5; minute < 10; minute += 1) {
      await planExpiryReminders(prisma, new Date(NOW.getTime() + minute * 60_000 + 1));
      await send(new Date(NOW.getTime() + minute * 60_000 + 1));
    }
    expect(mailTo(member)).toHaveLength(1);
    expect((await messagesOf(member)).filter((m) => m.channel === "email").map((m) => m.status)).toEqual(["sent"]);
  });

  it("the unsubscribe link asks first, then stops the next reminder at once; a forged link does nothing", async () => {
    const url = unsubscribeLink(mailTo(hanako)[0].raw);
    const page = await unsubscribeRoute.loader({ request: new Request(url), params: {}, context: {} } as never);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("配信を停止する");
    expect((await prisma.member.findUniqueOrThrow({ where: { id: hanako.id } })).emailUnsubscribedAt).toBeNull();

    const forged = url.replace(/token=[^.]+/, `token=${Buffer.from(john.id).toString("base64url")}`);
    expect(
      (await callAction(new Request(forged, { method: "POST", body: "List-Unsubscribe=One-Click" }), unsubscribeRoute))
        .status,
    ).toBe(400);

    // A message already waiting when the member unsubscribes is dropped too.
    await prisma.$transaction((tx) =>
      recordMessage(tx, {
        shopId: shop.id,
        memberId: hanako.id,
        kind: "points_earned",
        eventKey: "test:waiting",
        at: NOW,
        data: { points: 10 },
      }),
    );
    const oneClick = new Request(url, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    const done = await callAction(oneClick, unsubscribeRoute);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("配信を停止しました");
    const after = await prisma.member.findUniqueOrThrow({ where: { id: hanako.id } });
    expect(after.emailUnsubscribedAt).not.toBeNull();
    expect((await messagesOf(hanako, "points_earned")).find((m) => m.channel === "email")).toMatchObject({
      status: "skipped",
      lastError: "unsubscribed",
    });
    expect((await prisma.member.findUniqueOrThrow({ where: { id: john.id } })).emailUnsubscribedAt).toBeNull();

    await earnExpiring(hanako, 100, 2);
    await planExpiryReminders(prisma, new Date(NOW.getTime() + 60_000));
    await send(new Date(NOW.getTime() + 60_000));
    expect(mailTo(hanako)).toHaveLength(1);
  });

  it("retries a refused delivery with backoff, marks it failed after the last attempt, and staff retry sends it", async () => {
    const member = await newMember();
    await prisma.$transaction((tx) =>
      recordMessage(tx, {
        shopId: shop.id,
        memberId: member.id,
        kind: "birthday",
        eventKey: "test:retry",
        at: NOW,
        data: { points: 300 },
      }),
    );
    smtp.refuse(451, "Try again later");
    let at = NOW;
    expect((await send(at)).retrying).toBe(1);
    let message = (await messagesOf(member))[0];
    expect(message).toMatchObject({ status: "pending", attempts: 1 });
    expect(message.nextAttemptAt.getTime() - at.getTime()).toBe(60_000);
    expect(message.lastError).toMatch(/Try again later/);
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt += 1) {
      at = message.nextAttemptAt;
      await send(at);
      message = (await messagesOf(member))[0];
    }
    expect(message).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS });
    // About two days of attempts in all.
    expect(at.getTime() - NOW.getTime()).toBeGreaterThan(36 * 3_600_000);
    expect((await send(new Date(at.getTime() + 7 * DAY))).sent).toBe(0);

    smtp.accept();
    expect(await retryFailedMessages(prisma, shop, message.id, at)).toBe(1);
    expect((await send(new Date(at.getTime() + 60_000))).sent).toBe(1);
    expect(mailTo(member)).toHaveLength(1);

    const refused = await newMember();
    await prisma.$transaction((tx) =>
      recordMessage(tx, {
        shopId: shop.id,
        memberId: refused.id,
        kind: "birthday",
        eventKey: "test:550",
        at: NOW,
        data: { points: 300 },
      }),
    );
    smtp.refuse(550, "No such user");
    await send(new Date(at.getTime() + 120_000));
    smtp.accept();
    expect((await messagesOf(refused))[0]).toMatchObject({ status: "failed", attempts: 1 });
  });

  it("quiet hours hold marketing until morning in the shop's time zone; a reward code email is transactional", async () => {
    await useSettings({ quietHours: { start: 21, end: 9 } });
    const member = await newMember({ consent: false });
    const fan = await newMember();
    await prisma.$transaction(async (tx) => {
      await recordMessage(tx, {
        shopId: shop.id,
        memberId: member.id,
        kind: "reward_issued",
        eventKey: "test:code",
        at: NOW,
        data: {
          name: "¥500 off",
          code: "TSU-TEST-0001",
          points: 500,
          expiresAt: new Date(NOW.getTime() + 30 * DAY).toISOString(),
        },
      });
      await recordMessage(tx, {
        shopId: shop.id,
        memberId: fan.id,
        kind: "birthday",
        eventKey: "test:night",
        at: NOW,
        data: { points: 300 },
      });
    });
    const night = new Date("2026-12-01T14:30:00Z"); // 23:30 in Tokyo
    await send(night);
    expect(mailTo(member)[0].parsed.subject).toBe("割引コード TSU-TEST-0001 を発行しました");
    expect(mailTo(member)[0].raw).not.toMatch(/^List-Unsubscribe:/im);
    expect(mailTo(fan)).toHaveLength(0);
    expect((await messagesOf(fan))[0]).toMatchObject({
      status: "pending",
      nextAttemptAt: new Date("2026-12-02T00:00:00Z"),
    });
    await send(new Date("2026-12-02T00:00:01Z"));
    expect(mailTo(fan)).toHaveLength(1);
    await useSettings();
  });

  it("keeps each member to the daily cap; the rest wait for the next day", async () => {
    await useSettings({ dailyCap: 1 });
    const member = await newMember();
    await prisma.$transaction(async (tx) => {
      for (const key of ["a", "b"]) {
        await recordMessage(tx, {
          shopId: shop.id,
          memberId: member.id,
          kind: "birthday",
          eventKey: `test:cap:${key}`,
          at: NOW,
          data: { points: 1 },
        });
      }
    });
    const at = new Date(NOW.getTime() + 3 * DAY);
    expect(await send(at)).toMatchObject({ sent: 1, waiting: 1 });
    expect(mailTo(member)).toHaveLength(1);
    await send(new Date(at.getTime() + DAY + 1000));
    expect(mailTo(member)).toHaveLength(2);
    await useSettings();
  });

  it("an order's points are announced once in the member's language, however often Shopify delivers the webhook", async () => {
    const customerId = uniqueId();
    // The customer shopped in English (Shopify's customer_locale).
    const payload = { ...orderPayload({ customerId, total: "5400" }), customer_locale: "en" };
    const request = webhookRequest("orders/paid", payload, { shop: SHOP });
    expect((await deliver("orders/paid", payload, { shop: SHOP })).status).toBe(200);
    await redeliver(request, "orders/paid");
    const member = await prisma.member.findUniqueOrThrow({
      where: { shopId_customerId: { shopId: shop.id, customerId: String(customerId) } },
    });
    // The language the customer shopped in (the order's customer_locale) is the language of their messages.
    expect(member.locale).toBe("en");
    const earned = await messagesOf(member, "points_earned");
    expect(earned.map((m) => [m.channel, m.data])).toEqual([
      ["email", { points: 54, orderName: payload.name }],
      ["flow", { points: 54, orderName: payload.name }],
    ]);
    // The webhook's customer has given no marketing consent: the message is kept, not sent, with the reason.
    await send(afterRecorded());
    expect((await messagesOf(member, "points_earned")).find((m) => m.channel === "email")).toMatchObject({
      status: "skipped",
      lastError: "no marketing consent",
    });
  });

  it("a program change tells every member holding points what changed, in plain words", async () => {
    await prisma.$transaction((tx) => saveProgram(tx, shop, program, "staff:1"));
    const before = smtp.received.length;
    await prisma.$transaction((tx) =>
      saveProgram(tx, shop, { ...program, earnRate: { points: 2, perMinor: 100 } }, "staff:1"),
    );
    await send(afterRecorded(10 * DAY));
    const notices = smtp.received
      .slice(before)
      .filter(
        (mail) =>
          mail.parsed.subject === "積み木ストア ポイント制度変更のお知らせ" &&
          mail.parsed.text?.includes("ポイント付与"),
      );
    expect(notices.length).toBeGreaterThanOrEqual(2);
    expect(notices[0].parsed.text).toContain("・ポイント付与: ￥100につき1ポイント → ￥100につき2ポイント");
    // Transactional: it reaches the member who unsubscribed from marketing too.
    expect(mailTo(hanako).some((mail) => mail.parsed.subject?.includes("ポイント制度変更"))).toBe(true);
    await expectBalancesMatchLedger();
  });

  it("the monthly statement lists the month's passbook lines, planned once for the month", async () => {
    await useSettings({ enabled: { ...settings.enabled, monthly_statement: true } });
    const member = await newMember();
    await earnExpiring(member, 700, 20); // earned 10 days before NOW: in November
    const planned = await planMonthlyStatements(prisma, NOW);
    expect(planned).toBeGreaterThanOrEqual(1);
    expect(await planMonthlyStatements(prisma, new Date(NOW.getTime() + 60_000))).toBe(0);
    await send(new Date(NOW.getTime() + 20 * DAY));
    const statement = mailTo(member).find((mail) => mail.parsed.subject === "2026年11月のポイント明細");
    expect(statement?.parsed.text).toContain("+700");
    expect(statement?.parsed.text).toContain("月末の残高: 700ポイント");
    await useSettings();
  });

  it("signs with DKIM when configured, covering the one-click unsubscribe headers (RFC 8058 requires it)", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString().replace(/\n/g, "\\n");
    const signing = createMailer(smtp.url, {
      DKIM_DOMAIN: "tsumiki-shop.jp",
      DKIM_SELECTOR: "mail",
      DKIM_PRIVATE_KEY: pem,
    });
    const member = await newMember();
    await prisma.$transaction((tx) =>
      recordMessage(tx, {
        shopId: shop.id,
        memberId: member.id,
        kind: "birthday",
        eventKey: "test:dkim",
        at: NOW,
        data: { points: 1 },
      }),
    );
    await deliverDueMessages(prisma, signing, { now: new Date(NOW.getTime() + 30 * DAY), env });
    signing.close();
    const signature = mailTo(member)[0]
      .raw.replace(/\r?\n[ \t]+/g, " ")
      .match(/^DKIM-Signature: (.*)$/im)?.[1];
    expect(signature).toMatch(/\bd=tsumiki-shop\.jp;/);
    expect(signature).toMatch(/\bs=mail;/);
    const signed = signature!
      .match(/\bh=([^;]+);/)![1]
      .replace(/\s/g, "")
      .toLowerCase()
      .split(":");
    expect(signed).toEqual(expect.arrayContaining(["from", "subject", "list-unsubscribe", "list-unsubscribe-post"]));
  });

  it("keeps messages 13 months, then deletes settled ones; a waiting message is never deleted", async () => {
    const member = await newMember();
    const old = new Date(NOW.getTime() - 401 * DAY);
    await prisma.message.createMany({
      data: [
        {
          shopId: shop.id,
          memberId: member.id,
          kind: "birthday",
          channel: "email",
          eventKey: "old:sent",
          data: {},
          status: "sent",
          createdAt: old,
        },
        {
          shopId: shop.id,
          memberId: member.id,
          kind: "birthday",
          channel: "email",
          eventKey: "old:pending",
          data: {},
          createdAt: old,
          nextAttemptAt: new Date(NOW.getTime() + 10 * DAY),
        },
        {
          shopId: shop.id,
          memberId: member.id,
          kind: "birthday",
          channel: "email",
          eventKey: "new:sent",
          data: {},
          status: "sent",
          createdAt: NOW,
        },
      ],
    });
    expect(await pruneMessages(prisma, NOW)).toBe(1);
    expect((await messagesOf(member)).map((m) => m.eventKey).sort()).toEqual(["new:sent", "old:pending"]);
  });

  it("the birthday bonus records its message with the award", async () => {
    const member = await newMember();
    await prisma.member.update({
      where: { id: member.id },
      data: { birthday: localDate(new Date(), shop.timezone).slice(5) },
    });
    await prisma.programVersion.create({
      data: { shopId: shop.id, version: 99, settings: { ...program, birthdayBonus: 300 } as never },
    });
    await awardBirthdays(prisma, new Date());
    expect((await messagesOf(member, "birthday")).map((m) => m.data)).toEqual([{ points: 300 }]);
  });
});

describe("reminders when the balance expires after a quiet period", () => {
  const QUIET = "notify-quiet.myshopify.com";
  const inactivity: ProgramSettings = { ...defaultProgram("JPY"), expiryDays: 365, expiryMode: "inactivity" };
  let quietShop: Shop;
  let smtp2: Awaited<ReturnType<typeof startTestSmtp>>;
  let mailer2: ReturnType<typeof createMailer>;

  beforeAll(async () => {
    quietShop = await installShop(QUIET);
    await prisma.programVersion.create({ data: { shopId: quietShop.id, version: 2, settings: inactivity as never } });
    const value = JSON.parse(JSON.stringify({ ...settings, quietHours: null }));
    await prisma.notificationSettings.create({ data: { shopId: quietShop.id, settings: value } });
    smtp2 = await startTestSmtp();
    mailer2 = createMailer(smtp2.url);
  });

  afterAll(async () => {
    mailer2.close();
    await smtp2.close();
  });

  async function quietMember(lastEarn: Date) {
    const member = await prisma.member.create({
      data: {
        shopId: quietShop.id,
        customerId: String(uniqueId()),
        email: `q${uniqueId()}@example.jp`,
        locale: "ja",
        emailMarketingState: "SUBSCRIBED",
      },
    });
    await prisma.$transaction(async (tx) => {
      await earn(tx, await lockMemberById(tx, member.id), 800, inactivity, quietShop.timezone, {
        reason: "test",
        sourceType: "staff",
        idempotencyKey: `quiet:${member.id}:${lastEarn.toISOString()}`,
        occurredAt: lastEarn,
      });
    });
    return member;
  }

  it("the whole balance gets its reminder before the quiet period ends; activity since cancels it", async () => {
    const idle = await quietMember(new Date(NOW.getTime() - 360 * DAY));
    const active = await quietMember(new Date(NOW.getTime() - 360 * DAY));
    await planExpiryReminders(prisma, NOW);
    await planExpiryReminders(prisma, new Date(NOW.getTime() + 60_000));
    const planned = await prisma.message.findMany({ where: { memberId: idle.id, channel: "email" } });
    expect(planned.map((m) => [(m.data as { days: number }).days, (m.data as { points: number }).points])).toEqual([
      [7, 800],
    ]);
    // The other member buys again before the reminder goes: their balance no longer expires on that date.
    await prisma.$transaction(async (tx) => {
      await earn(tx, await lockMemberById(tx, active.id), 50, inactivity, quietShop.timezone, {
        reason: "test",
        sourceType: "staff",
        idempotencyKey: `quiet:${active.id}:again`,
        occurredAt: new Date(NOW.getTime() - DAY),
      });
    });
    await deliverDueMessages(prisma, mailer2, { now: NOW, env });
    const received = smtp2.received.filter((mail) => mail.envelopeTo.includes(idle.email!));
    expect(received).toHaveLength(1);
    expect(received[0].parsed.subject).toMatch(/^800ポイントの有効期限は2026年12月\d+日です$/);
    expect(smtp2.received.filter((mail) => mail.envelopeTo.includes(active.email!))).toHaveLength(0);
    expect((await prisma.message.findFirstOrThrow({ where: { memberId: active.id, channel: "email" } })).status).toBe(
      "skipped",
    );
  });
});
