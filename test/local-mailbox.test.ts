import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import prisma from "../app/db.server";
import { clearLocalMailbox, localMailbox, startLocalSmtp, type LocalSmtp } from "../app/local/local-mailbox.server";
import { createMailer } from "../app/notifications/mailer.server";
import { deliverDueMessages } from "../app/notifications/sender.server";
import { defaultNotificationSettings } from "../app/notifications/settings";
import { installShop } from "./support/fixtures";
import { startLocalServer, type LocalServer } from "./support/local-server";

const SHOP = "local-mailbox.myshopify.com";
let smtp: LocalSmtp;
let mailer: ReturnType<typeof createMailer>;

type Loader = (args: never) => Response | Promise<Response>;

/** Calls a local page's loader as the server does: the connection's address in the load context. */
async function open(loader: Loader, path: string, remoteAddress = "127.0.0.1", params: Record<string, string> = {}) {
  const request = new Request(`http://127.0.0.1:3000${path}`, { headers: { Host: "127.0.0.1:3000" } });
  return Promise.resolve()
    .then(() => loader({ request, params, context: { remoteAddress } } as never))
    .catch((thrown: unknown) => thrown as Response);
}

function inLocalMode<T>(work: () => Promise<T>): Promise<T> {
  const previous = process.env.TSUMIKI_LOCAL;
  process.env.TSUMIKI_LOCAL = "1";
  return work().finally(() => {
    if (previous === undefined) delete process.env.TSUMIKI_LOCAL;
    else process.env.TSUMIKI_LOCAL = previous;
  });
}

beforeAll(async () => {
  smtp = await startLocalSmtp({ port: 0, host: "127.0.0.1" });
  mailer = createMailer(`smtp://127.0.0.1:${smtp.port}?tls=off`);
});

afterAll(async () => {
  mailer.close();
  await smtp.close();
});

beforeEach(() => clearLocalMailbox());

describe("the local SMTP server of npm run local", () => {
  it("keeps a message sent through nodemailer, its Japanese subject and body decoded", async () => {
    await mailer.sendMail({
      from: { name: "積み木ショップ", address: "points@tsumiki.local" },
      to: "hanako@example.jp",
      subject: "500ポイントが3月31日に失効します",
      text: "山田花子様、500ポイントの有効期限が近づいています。",
      html: '<!doctype html><html lang="ja"><body><p>山田花子様、500ポイントの有効期限が近づいています。</p></body></html>',
      headers: { "Content-Language": "ja" },
    });
    const [mail] = localMailbox();
    expect(mail).toMatchObject({
      from: '"積み木ショップ" <points@tsumiki.local>',
      to: "hanako@example.jp",
      envelope: { from: "points@tsumiki.local", to: ["hanako@example.jp"] },
      subject: "500ポイントが3月31日に失効します",
      language: "ja",
      text: "山田花子様、500ポイントの有効期限が近づいています。",
    });
    expect(mail.html).toContain("<p>山田花子様、500ポイントの有効期限が近づいています。</p>");
    // On the wire the subject is MIME-encoded (RFC 2047), as a mail client receives it.
    expect(mail.headers.find((h) => h.name === "Subject")?.value).toMatch(/^=\?UTF-8\?[BQ]\?/);
    expect(mail.raw).not.toContain("失効");
    expect(mail.messageId).toMatch(/^<.+@tsumiki\.local>$/);
  });

  it("keeps the newest message first", async () => {
    await mailer.sendMail({ from: "a@tsumiki.local", to: "one@example.jp", subject: "first", text: "1" });
    await mailer.sendMail({ from: "a@tsumiki.local", to: "two@example.jp", subject: "second", text: "2" });
    expect(localMailbox().map((mail) => mail.subject)).toEqual(["second", "first"]);
  });

  it("receives a reminder the app delivers from its outbox, with the one-click unsubscribe headers", async () => {
    const shop = await installShop(SHOP, "JPY", "Asia/Tokyo");
    await prisma.notificationSettings.create({
      data: {
        shopId: shop.id,
        settings: { ...defaultNotificationSettings("ja"), quietHours: null, senderName: "積み木ショップ" },
      },
    });
    const member = await prisma.member.create({
      data: {
        shopId: shop.id,
        customerId: "1001",
        email: "hanako@example.jp",
        firstName: "花子",
        lastName: "山田",
        locale: "ja",
        emailMarketingState: "SUBSCRIBED",
        pointsAvailable: 54,
      },
    });
    await prisma.message.create({
      data: {
        shopId: shop.id,
        memberId: member.id,
        kind: "points_earned",
        channel: "email",
        eventKey: "earn:local-mailbox-test",
        data: { points: 54, orderName: "#1001" },
        nextAttemptAt: new Date(Date.now() - 1000),
      },
    });
    const report = await deliverDueMessages(prisma, mailer, { env: { MAIL_FROM: "points@tsumiki.local" } });
    expect(report.sent).toBe(1);
    const [mail] = localMailbox();
    expect(mail.to).toBe("hanako@example.jp");
    expect(mail.from).toContain("積み木ショップ");
    expect(mail.language).toBe("ja");
    expect(mail.subject).toMatch(/[\u3040-\u30ff\u4e00-\u9faf]/);
    expect(mail.text).toContain("54");
    expect(mail.listUnsubscribe).toMatch(/^<https:\/\/tsumiki\.test\/notifications\/unsubscribe\?token=[^>]+>/);
    expect(mail.listUnsubscribePost).toBe("List-Unsubscribe=One-Click");
  });

  it("binds to loopback only", async () => {
    await expect(startLocalSmtp({ port: 0, host: "0.0.0.0" })).rejects.toThrow(/loopback/);
  });
});

describe("/local/mailbox", () => {
  it("lists every message received (time, recipient, subject, language), newest first", async () => {
    const { loader } = await import("../app/routes/local.mailbox");
    await mailer.sendMail({
      from: "points@tsumiki.local",
      to: "taro@example.jp",
      subject: "ポイント獲得 <お知らせ>",
      text: "54ポイント",
      headers: { "Content-Language": "ja" },
    });
    await mailer.sendMail({
      from: "points@tsumiki.local",
      to: "amy@example.com",
      subject: "You earned 54 points",
      text: "54",
      headers: { "Content-Language": "en" },
    });
    const response = await inLocalMode(() => open(loader as Loader, "/local/mailbox"));
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    const html = await response.text();
    expect(html).toContain("ポイント獲得 &lt;お知らせ&gt;");
    expect(html).not.toContain("<お知らせ>");
    expect(html).toContain("taro@example.jp");
    expect(html).toContain("<td>ja</td>");
    expect(html).toContain("<td>en</td>");
    expect(html.indexOf("You earned 54 points")).toBeLessThan(html.indexOf("ポイント獲得"));
    for (const mail of localMailbox()) expect(html).toContain(`href="/local/mailbox/${mail.id}"`);
  });

  it("shows one message: its HTML in a sandboxed frame, its text part and its headers", async () => {
    const { loader } = await import("../app/routes/local.mailbox_.$id");
    await mailer.sendMail({
      from: "points@tsumiki.local",
      to: "hanako@example.jp",
      subject: "有効期限のお知らせ",
      text: "500ポイントが失効します",
      html: '<!doctype html><html lang="ja"><head><title>t</title></head><body><p>500ポイントが失効します</p><script>parent.document.title="x"</script></body></html>',
      headers: { "Content-Language": "ja", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
      list: {
        unsubscribe: { url: "http://127.0.0.1:3000/notifications/unsubscribe?token=a.b", comment: "Unsubscribe" },
      },
    });
    const [mail] = localMailbox();
    const response = await inLocalMode(() =>
      open(loader as Loader, `/local/mailbox/${mail.id}`, "::1", { id: mail.id }),
    );
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toMatch(
      /<iframe [^>]*sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="[^"]*500ポイントが失効します/,
    );
    // The message's HTML is only ever inside the frame's attribute, escaped: its script cannot run in the page.
    expect(html).not.toContain("<script>");
    expect(html).toContain("<pre>500ポイントが失効します</pre>");
    expect(html).toContain("<th>List-Unsubscribe-Post</th><td>List-Unsubscribe=One-Click</td>");
    expect(html).toContain("<th>Content-Language</th>");
    expect(html).toContain('<form method="post" action="http://127.0.0.1:3000/notifications/unsubscribe?token=a.b"');

    const raw = await inLocalMode(() =>
      open(loader as Loader, `/local/mailbox/${mail.id}?raw`, "127.0.0.1", { id: mail.id }),
    );
    expect(raw.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
    expect(await raw.text()).toBe(mail.raw);

    const missing = await inLocalMode(() => open(loader as Loader, "/local/mailbox/nope", "127.0.0.1", { id: "nope" }));
    expect(missing.status).toBe(404);
  });

  it("does not exist outside local mode, nor for a remote peer that claims Host: 127.0.0.1", async () => {
    const list = (await import("../app/routes/local.mailbox")).loader as Loader;
    const one = (await import("../app/routes/local.mailbox_.$id")).loader as Loader;
    await mailer.sendMail({ from: "points@tsumiki.local", to: "hanako@example.jp", subject: "secret", text: "s" });
    const [mail] = localMailbox();
    expect((await open(list, "/local/mailbox")).status).toBe(404);
    expect((await open(one, `/local/mailbox/${mail.id}`, "127.0.0.1", { id: mail.id })).status).toBe(404);
    await inLocalMode(async () => {
      expect((await open(list, "/local/mailbox", "203.0.113.9")).status).toBe(404);
      expect((await open(one, `/local/mailbox/${mail.id}`, "::ffff:10.0.0.5", { id: mail.id })).status).toBe(404);
      expect((await open(list, "/local/mailbox", "127.0.0.1")).status).toBe(200);
    });
  });
});

// The README's `npm run local`, started for real: its SMTP server and the page share one mailbox.
describe("npm run local's mailbox", () => {
  let server: LocalServer;

  beforeAll(async () => {
    server = await startLocalServer();
  }, 120_000);

  afterAll(() => server?.stop());

  it("shows at /local/mailbox a message sent to the SMTP server it announced", async () => {
    const port = /SMTP on 127\.0\.0\.1:(\d+)/.exec(server.output())?.[1];
    expect(port).toBeDefined();
    const local = createMailer(`smtp://127.0.0.1:${port}?tls=off`);
    try {
      await local.sendMail({
        from: "points@tsumiki.local",
        to: "yui@example.jp",
        subject: "ようこそ、ゴールドへ",
        text: "金",
      });
    } finally {
      local.close();
    }
    const page = await fetch(`${server.baseUrl}/local/mailbox`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("ようこそ、ゴールドへ");
  }, 60_000);
});
