import { describe, expect, it } from "vitest";
import { composeEmail, htmlToText } from "./email";
import { unsubscribeToken, verifyUnsubscribeToken } from "./unsubscribe";
import { describeProgramChanges } from "./program-changes";
import { defaultProgram } from "../program/program";

const sender = {
  name: "積み木ストア",
  email: "points@example.jp",
  contactAddress: "東京都渋谷区1-2-3",
  contactEmail: "help@example.jp",
};

describe("an email as composed", () => {
  it("identifies the sender and offers the one-click unsubscribe on marketing mail (RFC 8058)", () => {
    const email = composeEmail({
      messageId: "<m1@tsumiki.test>",
      to: "hanako@example.jp",
      locale: "ja",
      sender,
      rendered: { subject: "件名", html: "<p>本文</p>" },
      unsubscribeUrl: "https://tsumiki.test/notifications/unsubscribe?token=abc",
    });
    expect(email.from).toEqual({ name: "積み木ストア", address: "points@example.jp" });
    expect(email.replyTo).toBe("help@example.jp");
    expect(email.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(email.headers["List-Unsubscribe"]).toBe("<https://tsumiki.test/notifications/unsubscribe?token=abc>");
    expect(email.text).toContain("所在地: 東京都渋谷区1-2-3");
    expect(email.text).toContain("配信停止はこちら: https://tsumiki.test/notifications/unsubscribe?token=abc");
    expect(email.html).toContain('<html lang="ja">');
  });

  it("leaves the unsubscribe out of transactional mail", () => {
    const email = composeEmail({
      messageId: "<m2@tsumiki.test>",
      to: "a@example.com",
      locale: "en",
      sender,
      rendered: { subject: "Code", html: "<p>Code</p>" },
      unsubscribeUrl: null,
    });
    expect(email.headers["List-Unsubscribe"]).toBeUndefined();
    expect(email.headers["List-Unsubscribe-Post"]).toBeUndefined();
    expect(email.text).toContain("Sent by 積み木ストア");
  });

  it("turns the HTML body into readable text", () => {
    expect(htmlToText('<p>Hi &amp; welcome</p><ul><li>one</li></ul><a href="https://x.test">shop</a>')).toBe(
      "Hi & welcome\n・one\n\nshop (https://x.test)",
    );
  });
});

describe("the unsubscribe token", () => {
  it("names its member and cannot be forged or moved to another member", () => {
    const token = unsubscribeToken("secret", "member-1");
    expect(verifyUnsubscribeToken("secret", token)).toBe("member-1");
    expect(verifyUnsubscribeToken("other", token)).toBeNull();
    const [, signature] = token.split(".");
    expect(
      verifyUnsubscribeToken("secret", `${Buffer.from("member-2").toString("base64url")}.${signature}`),
    ).toBeNull();
    expect(verifyUnsubscribeToken("secret", "garbage")).toBeNull();
    expect(verifyUnsubscribeToken("secret", null)).toBeNull();
  });
});

describe("a program change in plain words", () => {
  it("lists what changed in earning, expiry and redemption, in both languages, and nothing else", () => {
    const before = defaultProgram("JPY");
    const after = { ...before, earnRate: { points: 2, perMinor: 100 }, expiryDays: 365, campaigns: [] };
    const lines = describeProgramChanges(before, after);
    expect(lines.ja).toEqual([
      "ポイント付与: ￥100につき1ポイント → ￥100につき2ポイント",
      "有効期限: 無期限 → 獲得から365日",
    ]);
    expect(lines.en).toEqual([
      "Points earned: 1 point per ¥100 → 2 points per ¥100",
      "Points expire: never → 365 days after they are earned",
    ]);
    expect(describeProgramChanges(before, { ...before, signupBonus: 100 })).toEqual({ ja: [], en: [] });
  });
});
