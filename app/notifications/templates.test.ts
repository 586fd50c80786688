import { describe, expect, it } from "vitest";
import { MESSAGE_KINDS, MESSAGE_LOCALES } from "./kinds";
import { checkTemplate, renderTemplate } from "./templates";
import { messageVariables, sampleContext, sampleData, sampleVariables } from "./variables";
import { defaultTemplate } from "./words";

describe("message templates (Liquid)", () => {
  it("every default template, in both languages, passes the check it imposes on merchants", () => {
    for (const kind of MESSAGE_KINDS) {
      for (const locale of MESSAGE_LOCALES)
        expect(checkTemplate(kind, defaultTemplate(kind, locale)), `${kind} ${locale}`).toBeNull();
    }
  });

  it("refuses a syntax error with its line and reason", () => {
    const problem = checkTemplate("points_earned", {
      subject: "Hi",
      body: "<p>one</p>\n<p>two</p>\n{% if points %}\n",
    });
    expect(problem).toMatchObject({ field: "body", line: 3, code: "unclosed", name: "{% if points %}" });
    expect(problem?.reason).toMatch(/not closed/);
  });

  it("refuses an unknown variable (a typo, or another message's variable) with its line", () => {
    const typo = checkTemplate("points_earned", { subject: "Hi", body: "<p>a</p>\n<p>{{ member.nmae }}</p>" });
    expect(typo).toMatchObject({ field: "body", line: 2, code: "unknown_variable", name: "member.nmae" });
    expect(typo?.reason).toMatch(/undefined variable/);
    const other = checkTemplate("birthday", { subject: "{{ expiring.date }}", body: "x" });
    expect(other).toMatchObject({ field: "subject", line: 1 });
    expect(checkTemplate("birthday", { subject: "{{ points | shout }}", body: "x" })?.reason).toMatch(
      /undefined filter/,
    );
    expect(checkTemplate("birthday", { subject: " ", body: "x" })?.reason).toMatch(/subject is empty/);
  });

  it("escapes values in the HTML body, not in the subject", () => {
    const context = sampleContext("en");
    context.shop.name = "Tom & Jerry <Shop>";
    const rendered = renderTemplate(
      { subject: "{{ shop.name }}", body: "<p>{{ shop.name }}</p>" },
      messageVariables("birthday", { points: 10 }, context),
    );
    expect(rendered.subject).toBe("Tom & Jerry <Shop>");
    expect(rendered.html).toBe("<p>Tom &amp; Jerry &lt;Shop&gt;</p>");
  });

  it("formats numbers and dates in the member's language and the shop's time zone", () => {
    const ja = renderTemplate(defaultTemplate("expiry_reminder", "ja"), {
      ...sampleVariables("expiry_reminder", "ja"),
      ...messageVariables(
        "expiry_reminder",
        { points: 1500, expiresAt: "2027-03-31T14:59:59.999Z", days: 7 },
        sampleContext("ja"),
      ),
    });
    expect(ja.subject).toBe("1,500ポイントの有効期限は2027年3月31日です");
    const en = renderTemplate(
      defaultTemplate("expiry_reminder", "en"),
      messageVariables(
        "expiry_reminder",
        { points: 1500, expiresAt: "2027-03-31T14:59:59.999Z", days: 7 },
        sampleContext("en"),
      ),
    );
    expect(en.subject).toBe("1,500 points expire on 31 March 2027");
  });

  it("writes the statement's passbook lines in the member's words", () => {
    const rendered = renderTemplate(
      defaultTemplate("monthly_statement", "ja"),
      messageVariables("monthly_statement", sampleData("monthly_statement"), sampleContext("ja")),
    );
    expect(rendered.subject).toBe("2026年10月のポイント明細");
    expect(rendered.html).toContain("ご注文で獲得");
    expect(rendered.html).toContain("+120");
    expect(rendered.html).toContain("-500");
  });
});
