import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkAgainstSchema } from "../support/admin-api";
import { customerPayload, orderPayload } from "../support/payloads";
import { embeddedAdmin, startProductionServer, type ProductionServer } from "../support/production-server";
import { defaultNotificationSettings } from "../../app/notifications/settings";
import { proxyRequest, webhookRequest } from "../support/shopify";
import { startTestSmtp } from "../support/smtp";

const SHOP = "notify-production.myshopify.com";
const CUSTOMER = 7301;
// The address the order's customer carries (Shopify's example payload), which the member's record follows.
const EMAIL = `customer${CUSTOMER}@example.com`;

async function until<T>(probe: () => T | undefined, what: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// The production build sends its messages: webhooks record them, the scheduled jobs (every half second here) deliver
// them through SMTP, and the unsubscribe link in the mail stops the next one.
describe("notifications on the production build", () => {
  let server: ProductionServer;
  let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
  const signed = { shop: SHOP } as { shop: string; secret: string; baseUrl: string };
  const post = (topic: string, payload: unknown) => fetch(webhookRequest(topic, payload, signed));
  const mails = () => smtp.received.filter((mail) => mail.envelopeTo.includes(EMAIL));

  beforeAll(async () => {
    smtp = await startTestSmtp();
    server = await startProductionServer(SHOP, {
      SMTP_URL: smtp.url,
      MAIL_FROM: "points@tsumiki.test",
      TSUMIKI_JOBS_EVERY_MS: "500",
    });
    Object.assign(signed, { secret: server.secret, baseUrl: server.baseUrl });
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    await smtp?.close();
  });

  // The customer shops in Japanese (the order's customer_locale): their messages are in Japanese.
  it("the merchant sets the sender on the Notifications page; a consenting member's points arrive by email", async () => {
    // Quiet hours off: the test runs at any hour (and their effect has tests of its own).
    const settings = { ...defaultNotificationSettings("ja"), senderName: "積み木ストア", quietHours: null };
    const saved = await embeddedAdmin(server, SHOP)("/app/notifications?_data=routes%2Fapp.notifications", {
      method: "POST",
      body: JSON.stringify({ intent: "settings", settings }),
    });
    expect(saved.status).toBe(200);
    expect((await post("customers/create", customerPayload(CUSTOMER, EMAIL))).status).toBe(200);
    const consent = await post("customers_email_marketing_consent/update", {
      customer_id: CUSTOMER,
      email_address: EMAIL,
      email_marketing_consent: { state: "subscribed", opt_in_level: "single_opt_in", consent_updated_at: null },
    });
    expect(await consent.json()).toEqual({ outcome: "applied", detail: "email marketing consent SUBSCRIBED" });
    const paid = await post("orders/paid", {
      ...orderPayload({ customerId: CUSTOMER, total: "60000" }),
      customer_locale: "ja",
    });
    expect(await paid.json()).toEqual({ outcome: "applied", detail: "earned 600 points on 60000 JPY" });

    const mail = await until(() => mails()[0], "the points-earned email");
    expect(mail.parsed.subject).toBe("600ポイントが使えるようになりました");
    expect(mail.parsed.from?.value[0]).toEqual({ name: "積み木ストア", address: "points@tsumiki.test" });
    expect(mail.parsed.text).toContain("現在のポイント残高: 600ポイント");
    expect(mail.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
  });

  it("the one-click unsubscribe is honoured at once; a transactional reward code email still arrives", async () => {
    const header = mails()[0]
      .raw.replace(/\r?\n[ \t]+/g, " ")
      .match(/^List-Unsubscribe: <([^>]+)>$/im)?.[1];
    expect(header).toMatch(new RegExp(`^${server.baseUrl}/notifications/unsubscribe\\?token=`));
    const page = await fetch(header!);
    expect(await page.text()).toContain("配信を停止する");
    const oneClick = await fetch(header!, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.text()).toContain("配信を停止しました");

    expect(
      (await post("orders/paid", { ...orderPayload({ customerId: CUSTOMER, total: "30000" }), customer_locale: "ja" }))
        .status,
    ).toBe(200);
    const redeem = await fetch(
      proxyRequest("redeem", {
        ...signed,
        customerId: String(CUSTOMER),
        method: "POST",
        body: { rewardId: "points-500", key: "notify-production-1" },
      }),
    );
    expect(redeem.status).toBe(200);
    // The code's email is recorded after the second order's: once it arrives, the order's had its turn.
    const code = await until(
      () => mails().find((m) => m.parsed.subject?.startsWith("割引コード")),
      "the reward code email",
    );
    expect(code.raw).not.toMatch(/^List-Unsubscribe:/im);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(mails().map((m) => m.parsed.subject)).toEqual(["600ポイントが使えるようになりました", code.parsed.subject]);
  });

  it("fires the Flow triggers and writes the customer metafields, every call valid against Shopify's schema", async () => {
    const calls = await until(() => {
      const made = server.adminCalls();
      const ready =
        made.some((call) => call.operation === "TsumikiFlowTrigger") &&
        made.some((call) => call.operation === "TsumikiWriteMemberMetafields");
      return ready ? made : undefined;
    }, "the Flow trigger and metafield calls");
    const trigger = calls.find((call) => call.operation === "TsumikiFlowTrigger")!;
    expect(trigger.variables).toMatchObject({ handle: "points-earned", payload: { customer_id: CUSTOMER } });
    for (const call of calls) checkAgainstSchema(call.query, call.variables, call.data);
  });
});
