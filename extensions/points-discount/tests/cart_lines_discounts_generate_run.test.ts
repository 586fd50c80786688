import { describe, expect, it } from "vitest";
import { cartLinesDiscountsGenerateRun } from "../src";
import {
  assertValidInput,
  assertValidOutput,
  cart,
  inputQuery,
  RESERVATION,
  twoHundredLineCart,
  type CartSpec,
} from "./fixtures";

function run(spec: CartSpec) {
  const input = cart(spec);
  assertValidInput(input);
  const output = cartLinesDiscountsGenerateRun(input);
  assertValidOutput(output);
  return output;
}

function discountOf(spec: CartSpec) {
  const candidate = run(spec).operations[0]?.orderDiscountsAdd?.candidates[0];
  return candidate ? { amount: candidate.value.fixedAmount?.amount, message: candidate.message } : null;
}

describe("points discount Function", () => {
  it("a ¥10,000 cart with 500 reserved points gets ¥500 off the order subtotal", () => {
    expect(run({})).toEqual({
      operations: [
        {
          orderDiscountsAdd: {
            candidates: [
              {
                message: "Points redemption (500 points)",
                targets: [{ orderSubtotal: { excludedCartLineIds: [] } }],
                value: { fixedAmount: { amount: "500" } },
              },
            ],
            selectionStrategy: "FIRST",
          },
        },
      ],
    });
  });

  it("speaks Japanese to a Japanese checkout, with thousands separators", () => {
    const reservation = { ...RESERVATION, points: 1200, amountMinor: 1200 };
    expect(discountOf({ language: "JA", reservation })?.message).toBe("ポイント利用（1,200ポイント）");
  });

  it("a dollar shop: 500 points worth $5.00 take $5.00 off", () => {
    const reservation = { ...RESERVATION, currency: "USD", amountMinor: 500 };
    expect(discountOf({ currency: "USD", subtotal: "100.0", reservation })?.amount).toBe("5.00");
  });

  it("a buyer paying in another currency gets the points' worth at Shopify's rate, rounded down", () => {
    // ¥500 at 0.0067 USD per yen is $3.35.
    const converted = discountOf({ currency: "USD", subtotal: "100.00", rate: "0.0067" });
    expect(converted?.amount).toBe("3.35");
    // ¥500 at 0.00671 is $3.355: rounded down to $3.35, never up.
    expect(discountOf({ currency: "USD", subtotal: "100.00", rate: "0.00671" })?.amount).toBe("3.35");
  });

  it("yen has no decimals: a rate that lands between yen is rounded down", () => {
    // A $5.00 reservation for a yen buyer at 149.99 yen per dollar is ¥749.95: ¥749 off.
    const reservation = { ...RESERVATION, currency: "USD", amountMinor: 500 };
    expect(discountOf({ currency: "JPY", subtotal: "10000", rate: "149.99", reservation })?.amount).toBe("749");
  });

  it("never takes more than the program's share of the subtotal", () => {
    const reservation = { ...RESERVATION, points: 3000, amountMinor: 3000 };
    expect(discountOf({ subtotal: "4000.0", reservation })?.amount).toBe("2000");
    expect(
      discountOf({ subtotal: "4000.0", reservation, configuration: { jsonValue: { maxShareBasisPoints: 2500 } } })
        ?.amount,
    ).toBe("1000");
    expect(discountOf({ subtotal: "4000.0", reservation, configuration: null })?.amount).toBe("2000");
    expect(
      discountOf({ subtotal: "4000.0", reservation, configuration: { jsonValue: { maxShareBasisPoints: "all" } } })
        ?.amount,
    ).toBe("2000");
  });

  it("gives nothing to a guest", () => {
    expect(run({ loggedIn: false })).toEqual({ operations: [] });
  });

  it("gives nothing when the cart's nonce is not the reservation's, or the cart has none", () => {
    expect(run({ nonce: "someone-elses" })).toEqual({ operations: [] });
    expect(run({ nonce: null })).toEqual({ operations: [] });
  });

  it("gives nothing for a reservation past its day", () => {
    expect(run({ today: "2026-11-25" })).toEqual({ operations: [] });
    expect(discountOf({ today: "2026-11-24" })).not.toBeNull();
  });

  it("gives nothing for a missing or malformed reservation", () => {
    expect(run({ reservation: null })).toEqual({ operations: [] });
    for (const broken of [
      "{",
      { ...RESERVATION, points: -5 },
      { ...RESERVATION, amountMinor: 1.5 },
      { ...RESERVATION, currency: "yen" },
      { ...RESERVATION, nonce: "" },
      { ...RESERVATION, expiresOn: "soon" },
    ]) {
      expect(run({ reservation: broken })).toEqual({ operations: [] });
    }
  });

  it("gives nothing when the discount does not discount orders, or the cart is empty", () => {
    expect(run({ classes: ["PRODUCT"] })).toEqual({ operations: [] });
    expect(run({ subtotal: "0.0" })).toEqual({ operations: [] });
  });

  it("a 200-line cart still gets one discount, well inside the output limit", () => {
    const input = twoHundredLineCart();
    assertValidInput(input);
    const output = cartLinesDiscountsGenerateRun(input);
    assertValidOutput(output);
    expect(output.operations).toHaveLength(1);
    expect(JSON.stringify(output).length).toBeLessThan(20_000);
  });

  it("its input query stays well inside Shopify's 3,000-byte limit", () => {
    expect(Buffer.byteLength(inputQuery)).toBeLessThan(1500);
  });

  it("the fixtures themselves are checked: a field the query does not ask for is refused", () => {
    const input = cart({}) as unknown as { cart: Record<string, unknown> };
    input.cart.lines = [];
    expect(() => assertValidInput(input as never)).toThrow(/does not ask for/);
  });
});
