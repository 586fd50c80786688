import { describe, expect, it } from "vitest";
import { headerKey, mappingFromForm, recogniseHeader } from "./columns";

describe("recogniseHeader: other loyalty apps' exports", () => {
  it("reads a Smile.io customer export", () => {
    const header = ["id", "first_name", "last_name", "email", "points_balance", "vip_tier", "referral_url"];
    expect(recogniseHeader(header)).toEqual({
      mapping: { email: 3, balance: 4, tier: 5 },
      ignored: ["id", "first_name", "last_name", "referral_url"],
      app: "Smile.io",
      missing: [],
    });
  });

  it("reads a LoyaltyLion export: the merchant id is Shopify's customer id, approved points are the balance", () => {
    const header = ["Merchant ID", "Email", "Points approved", "Points pending", "Points spent", "Tier"];
    expect(recogniseHeader(header)).toMatchObject({
      mapping: { customerId: 0, email: 1, balance: 2, tier: 5 },
      ignored: ["Points pending", "Points spent"],
      app: "LoyaltyLion",
    });
  });

  it("reads a Yotpo (Swell) export", () => {
    expect(recogniseHeader(["Email", "Point Balance", "VIP Tier", "Name"])).toMatchObject({
      mapping: { email: 0, balance: 1, tier: 2 },
      app: "Yotpo (Swell)",
      missing: [],
    });
  });

  it("reads Japanese headers, full-width letters and spaces between words included", () => {
    const header = [
      "顧客 ＩＤ",
      "氏名",
      "メールアドレス",
      "ポイント残高",
      "有効期限",
      "会員ランク",
      "メモ",
      "ポイント履歴",
    ];
    expect(recogniseHeader(header)).toEqual({
      mapping: { customerId: 0, email: 2, balance: 3, expiresOn: 4, tier: 5, note: 6, history: 7 },
      ignored: ["氏名"],
      app: null,
      missing: [],
    });
  });

  it("reads this app's own migration columns", () => {
    expect(
      recogniseHeader(["customer_id", "points", "expiring_points", "expiry_date", "expiry_lots", "tier", "history"])
        .mapping,
    ).toEqual({ customerId: 0, balance: 1, expiringPoints: 2, expiresOn: 3, expiryLots: 4, tier: 5, history: 6 });
  });

  it("says what an unknown header lacks, so the dry run asks for a mapping", () => {
    expect(recogniseHeader(["name", "amount"])).toMatchObject({ mapping: {}, missing: ["balance", "customer"] });
    expect(recogniseHeader(["Kunde", "points"])).toMatchObject({ mapping: { balance: 1 }, missing: ["customer"] });
    expect(recogniseHeader(["email", "Punkte"])).toMatchObject({ mapping: { email: 0 }, missing: ["balance"] });
  });

  it("folds case, underscores, hyphens and widths the same way", () => {
    expect(headerKey(" Points_Balance ")).toBe("points balance");
    expect(headerKey("E-Mail")).toBe("e mail");
    expect(headerKey("顧客 ID")).toBe("顧客id");
  });
});

describe("mappingFromForm: the merchant's mapping", () => {
  const header = ["Kunde", "Mail", "Punkte", "Ablauf"];

  it("takes column indexes by field and reports the columns left out", () => {
    expect(mappingFromForm(header, { email: "1", balance: "2", expiresOn: 3, tier: "" })).toEqual({
      mapping: { email: 1, balance: 2, expiresOn: 3 },
      ignored: ["Kunde"],
    });
  });

  it("refuses a mapping without a balance or a customer, one column twice, or a column not in the file", () => {
    expect(mappingFromForm(header, { email: "1" })).toEqual({ error: "map a column to the balance" });
    expect(mappingFromForm(header, { balance: "2" })).toEqual({
      error: "map a column to the customer id or the email",
    });
    expect(mappingFromForm(header, { email: "1", balance: "1" })).toEqual({ error: 'column "Mail" is mapped twice' });
    expect(mappingFromForm(header, { email: "1", balance: "9" })).toMatchObject({
      error: expect.stringMatching(/not in the file/),
    });
    expect(mappingFromForm(header, { colour: "0" })).toMatchObject({ error: 'unknown field "colour"' });
    expect(mappingFromForm(header, "email=1")).toMatchObject({ error: expect.any(String) });
  });
});
