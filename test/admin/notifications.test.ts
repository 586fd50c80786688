import { simpleParser, type ParsedMail } from "mailparser";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { defaultNotificationSettings } from "../../app/notifications/settings";
import { defaultTemplate } from "../../app/notifications/words";
import * as passbookRoute from "../../app/routes/app.customers.$id";
import * as notificationsRoute from "../../app/routes/app.notifications";
import { installShop } from "../support/fixtures";
import { callRoute } from "../support/routes";
import { adminRequest } from "../support/shopify";

const SHOP = "notifications-page.myshopify.com";

const post = async (body: unknown, locale = "en") => {
  const response = (await callRoute(
    notificationsRoute,
    "action",
    adminRequest("POST", `/app/notifications?locale=${locale}`, body, SHOP),
  )) as Response;
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const page = async () =>
  (await callRoute(
    notificationsRoute,
    "loader",
    adminRequest("GET", "/app/notifications", undefined, SHOP),
  )) as Awaited<ReturnType<typeof notificationsRoute.loader>>;
const storedTemplate = () =>
  prisma.messageTemplate.findFirst({ where: { shop: { domain: SHOP }, kind: "points_earned", locale: "en" } });

/** An SMTP server in this process: what it accepts, parsed as a mail client would; one address it refuses. */
async function startSmtp() {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onRcptTo(address, _session, callback) {
      if (address.address === "refused@example.com") {
        const error = new Error("5.1.1 No such mailbox here") as Error & { responseCode: number };
        error.responseCode = 550;
        return callback(error);
      }
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    received,
    url: `smtp://127.0.0.1:${port}?tls=off`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("the Notifications page", () => {
  let shopId: string;
  let memberId: string;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;

  beforeAll(async () => {
    shopId = (await installShop(SHOP)).id;
    const member = await prisma.member.create({
      data: {
        shopId,
        customerId: "31001",
        email: "ichiro@example.com",
        firstName: "Ichiro",
        lastName: "Suzuki",
        pointsAvailable: 777,
        locale: "ja",
      },
    });
    memberId = member.id;
    smtp = await startSmtp();
  });

  afterAll(async () => {
    globalThis.tsumikiMailer?.transport.close();
    globalThis.tsumikiMailer = undefined;
    delete process.env.SMTP_URL;
    await smtp?.close();
  });

  it("shows the defaults before anything is saved: every template the default one, no SMTP, no sender", async () => {
    delete process.env.SMTP_URL;
    const data = await page();
    expect(data.settings.reminderDays).toEqual([30, 7]);
    expect(data.templates).toHaveLength(9 * 2);
    expect(data.templates.find((t) => t.kind === "points_earned" && t.locale === "ja")).toMatchObject({
      ...defaultTemplate("points_earned", "ja"),
      customised: false,
    });
    expect(data.variables.expiry_reminder).toEqual(expect.arrayContaining(["member.name", "expiring.date"]));
    expect(data.variables.monthly_statement).toContain("statement.lines[].points");
    expect(data).toMatchObject({ smtpConfigured: false, sender: null, failed: [] });
  });

  it("refuses settings out of shape with a reason per field and writes nothing", async () => {
    const audits = await prisma.auditLog.count({ where: { shopId } });
    const settings = {
      ...defaultNotificationSettings("ja"),
      reminderDays: [7, 7],
      dailyCap: 0,
      senderEmail: "not an address",
    };
    const refused = await post({ intent: "settings", settings });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toMatchObject({
      reminderDays: expect.any(String),
      dailyCap: expect.any(String),
      senderEmail: expect.any(String),
    });
    expect(await prisma.notificationSettings.findUnique({ where: { shopId } })).toBeNull();
    expect(await prisma.auditLog.count({ where: { shopId } })).toBe(audits);

    expect((await post({ intent: "settings", settings: "nonsense" })).status).toBe(422);
    expect((await post({ intent: "unheard-of" })).status).toBe(400);
    expect(await prisma.notificationSettings.findUnique({ where: { shopId } })).toBeNull();
  });

  it("saves the settings, audited with what they replaced", async () => {
    const settings = {
      ...defaultNotificationSettings("ja"),
      reminderDays: [14, 3],
      senderName: "Tsumiki Tea",
      senderEmail: "hello@tsumiki-tea.example",
      contactAddress: "1-2-3 Jingumae, Shibuya, Tokyo",
      contactEmail: "support@tsumiki-tea.example",
      enabled: { ...defaultNotificationSettings("ja").enabled, birthday: false },
    };
    const saved = await post({ intent: "settings", settings });
    expect(saved).toEqual({ status: 200, body: { ok: true } });
    const data = await page();
    expect(data.settings).toMatchObject({ reminderDays: [14, 3], enabled: { birthday: false } });
    expect(data.sender).toMatchObject({ name: "Tsumiki Tea", email: "hello@tsumiki-tea.example" });
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { shopId, action: "notifications.saved" } });
    expect(audit.actor).toBe("staff:42");
    expect(audit.before).toMatchObject({ reminderDays: [30, 7] });
    expect(audit.after).toMatchObject({ reminderDays: [14, 3] });
  });

  it("saves a template, then refuses a Liquid syntax error and an unknown variable with line and reason, keeping it", async () => {
    const template = {
      subject: "{{ points }} points for you",
      body: "<p>Dear {{ member.name }},</p>\n<p>+{{ points }}</p>",
    };
    const saved = await post({ intent: "saveTemplate", kind: "points_earned", locale: "en", ...template });
    expect(saved.status).toBe(200);
    expect(await storedTemplate()).toMatchObject({ ...template, updatedBy: "staff:42" });
    expect((await page()).templates.find((t) => t.kind === "points_earned" && t.locale === "en")).toMatchObject({
      ...template,
      customised: true,
    });

    const broken = await post({
      intent: "saveTemplate",
      kind: "points_earned",
      locale: "en",
      subject: "Points",
      body: "<p>Hello</p>\n<p>{% if member.name %}Hi</p>",
    });
    expect(broken.status).toBe(422);
    expect(broken.body.problem).toMatchObject({
      field: "body",
      line: 2,
      reason: expect.stringContaining("not closed"),
    });

    const unknown = await post({
      intent: "saveTemplate",
      kind: "points_earned",
      locale: "en",
      subject: "Points",
      body: "<p>Hello</p>\n<p>{{ member.nickname }}</p>",
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.problem).toEqual({
      field: "body",
      line: 2,
      column: 7,
      code: "unknown_variable",
      name: "member.nickname",
      reason: "undefined variable: member.nickname",
    });
    expect(await storedTemplate()).toMatchObject(template);
    const audits = await prisma.auditLog.findMany({ where: { shopId, action: "notifications.template.saved" } });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ subject: "points_earned (en)", before: null, after: template });

    expect(
      (await post({ intent: "saveTemplate", kind: "nonsense", locale: "en", subject: "a", body: "b" })).status,
    ).toBe(400);
  });

  it("previews a draft for a chosen member with their name and balance, and for the sample member without one", async () => {
    const found = await post({ intent: "members", search: "suzuki" });
    expect(found.body.members).toEqual([expect.objectContaining({ id: memberId, name: "Suzuki Ichiro" })]);

    const draft = { kind: "points_earned", locale: "ja", ...defaultTemplate("points_earned", "ja") };
    const forMember = await post({ intent: "preview", ...draft, memberId });
    expect(forMember.status).toBe(200);
    expect(forMember.body.member).toEqual({ id: memberId, name: "Suzuki Ichiro" });
    expect(forMember.body.html).toContain("Suzuki Ichiro");
    expect(forMember.body.html).toContain("777");
    expect(forMember.body.html).toContain("120"); // the example order's points
    expect(forMember.body.text).toContain("1-2-3 Jingumae, Shibuya, Tokyo"); // the sender identification footer
    expect(forMember.body.html).not.toContain(Buffer.from(memberId).toString("base64url")); // no real unsubscribe link

    const sample = await post({ intent: "preview", ...draft });
    expect(sample.body.html).toContain("山田 花子");

    const wrong = await post({ intent: "preview", ...draft, body: "{{ member.nickname }}" });
    expect(wrong).toMatchObject({ status: 422, body: { problem: { reason: "undefined variable: member.nickname" } } });
    expect((await post({ intent: "preview", ...draft, memberId: "someone-else" })).status).toBe(404);
  });

  it("sends a test through the SMTP server at once, and answers the server's refusal", async () => {
    const draft = { kind: "points_earned", locale: "ja", ...defaultTemplate("points_earned", "ja"), memberId };
    expect((await post({ intent: "test", ...draft, to: "staff@tsumiki-tea.example" })).body).toEqual({
      error: "No mail server is configured (SMTP_URL).",
    });
    process.env.SMTP_URL = smtp.url;
    expect((await page()).smtpConfigured).toBe(true);
    expect((await post({ intent: "test", ...draft, to: "not an address" })).status).toBe(422);

    const sent = await post({ intent: "test", ...draft, to: "staff@tsumiki-tea.example" }, "ja");
    expect(sent).toEqual({ status: 200, body: { ok: true, to: "staff@tsumiki-tea.example" } });
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0];
    expect(mail.to).toMatchObject({ text: "staff@tsumiki-tea.example" });
    expect(mail.from?.value[0]).toMatchObject({ name: "Tsumiki Tea", address: "hello@tsumiki-tea.example" });
    expect(mail.html).toContain("Suzuki Ichiro");
    expect(mail.text).toContain("777");
    // Not a member's message: nothing recorded in the outbox.
    expect(await prisma.message.count({ where: { shopId } })).toBe(0);

    const refused = await post({ intent: "test", ...draft, to: "refused@example.com" }, "ja");
    expect(refused.status).toBe(502);
    expect(refused.body.error).toMatch(/^メールサーバーが受け付けませんでした: .*No such mailbox here/);
    expect(smtp.received).toHaveLength(1);
  });

  it("lists failed messages with the member and error; retries one, then all", async () => {
    const failed = (eventKey: string) =>
      prisma.message.create({
        data: {
          shopId,
          memberId,
          kind: "expiry_reminder",
          channel: "email",
          eventKey,
          data: { points: 100, expiresAt: new Date().toISOString(), days: 7 },
          status: "failed",
          attempts: 8,
          lastError: "550 mailbox unavailable",
          recipient: "ichiro@example.com",
        },
      });
    const first = await failed("reminder:1");
    await failed("reminder:2");
    const data = await page();
    expect(data.counts.failed).toBe(2);
    expect(data.failed).toHaveLength(2);
    expect(data.failed[0]).toMatchObject({
      kind: "expiry_reminder",
      lastError: "550 mailbox unavailable",
      member: { id: memberId, name: "Suzuki Ichiro" },
    });

    expect((await post({ intent: "retry", messageId: first.id })).body).toEqual({ retried: 1 });
    expect(await prisma.message.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({
      status: "pending",
      attempts: 0,
      lastError: null,
    });
    expect((await post({ intent: "retry" })).body).toEqual({ retried: 1 });
    expect(await prisma.message.count({ where: { shopId, status: "failed" } })).toBe(0);
    expect(await prisma.auditLog.count({ where: { shopId, action: "notifications.retried" } })).toBe(2);
  });

  it("the member's passbook lists the messages sent to them", async () => {
    await prisma.message.create({
      data: {
        shopId,
        memberId,
        kind: "points_earned",
        channel: "email",
        eventKey: "earn:1",
        data: { points: 54 },
        status: "sent",
        subject: "54ポイントを獲得しました",
        sentAt: new Date(),
        attempts: 1,
      },
    });
    const book = (await callRoute(
      passbookRoute,
      "loader",
      adminRequest("GET", `/app/customers/${memberId}`, undefined, SHOP),
      { id: memberId },
    )) as { messages: Array<Record<string, unknown>> };
    expect(book.messages).toHaveLength(3);
    expect(book.messages[0]).toMatchObject({
      kind: "points_earned",
      status: "sent",
      subject: "54ポイントを獲得しました",
    });
    expect(book.messages[1]).toMatchObject({ kind: "expiry_reminder", status: "pending" });
  });

  it("resetting a template deletes the shop's own one, audited, and the default is in use again", async () => {
    const reset = await post({ intent: "resetTemplate", kind: "points_earned", locale: "en" });
    expect(reset.body).toMatchObject({ ok: true, template: defaultTemplate("points_earned", "en") });
    expect(await storedTemplate()).toBeNull();
    expect((await page()).templates.find((t) => t.kind === "points_earned" && t.locale === "en")).toMatchObject({
      customised: false,
    });
    expect(await prisma.auditLog.count({ where: { shopId, action: "notifications.template.reset" } })).toBe(1);
  });
});
