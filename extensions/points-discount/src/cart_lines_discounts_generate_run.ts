import type { CartLinesDiscountsGenerateRunInputQuery as Input } from "../generated/api";
import type { CartLinesDiscountsGenerateRunResult as Result } from "../generated/schema";
import { convertDown, formatDecimal, groupThousands, isCurrencyCode, parseDecimal, toMinorDown } from "./amounts";

/** The reservation the app wrote on the customer (app-owned metafield `$app:tsumiki.reservation`). */
interface Reservation {
  nonce: string;
  points: number;
  amountMinor: number;
  currency: string;
  expiresOn: string;
}

const DEFAULT_MAX_SHARE_BASIS_POINTS = 5000;
const NO_DISCOUNT: Result = { operations: [] };

function isPositiveInteger(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0;
}

function reservationOf(json: unknown): Reservation | null {
  if (typeof json !== "object" || json === null) return null;
  const r = json as Record<string, unknown>;
  if (typeof r.nonce !== "string" || r.nonce === "") return null;
  if (!isPositiveInteger(r.points) || !isPositiveInteger(r.amountMinor)) return null;
  if (!isCurrencyCode(r.currency) || typeof r.expiresOn !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(r.expiresOn))
    return null;
  return { nonce: r.nonce, points: r.points, amountMinor: r.amountMinor, currency: r.currency, expiresOn: r.expiresOn };
}

function maxShareOf(json: unknown): number {
  const share = (json as { maxShareBasisPoints?: unknown } | null)?.maxShareBasisPoints;
  return isPositiveInteger(share) && share <= 10_000 ? share : DEFAULT_MAX_SHARE_BASIS_POINTS;
}

function message(points: number, language: string): string {
  return language === "JA"
    ? `ポイント利用（${groupThousands(points)}ポイント）`
    : `Points redemption (${groupThousands(points)} points)`;
}

/**
 * Takes the points a logged-in shopper reserved off the order subtotal: only when the cart carries the
 * reservation's nonce, the reservation has not run out, and never more than the program's share of the
 * subtotal. Amounts are converted to the buyer's currency and rounded down.
 */
export function cartLinesDiscountsGenerateRun(input: Input): Result {
  if (!input.discount.discountClasses.includes("ORDER")) return NO_DISCOUNT;
  const reservation = reservationOf(input.cart.buyerIdentity?.customer?.reservation?.jsonValue);
  const nonce = input.cart.attribute?.value;
  if (!reservation || !nonce || nonce !== reservation.nonce) return NO_DISCOUNT;
  // ISO dates compare as strings; the app also deletes the reservation when it ends.
  if (reservation.expiresOn < input.shop.localTime.date) return NO_DISCOUNT;

  const { amount, currencyCode } = input.cart.cost.subtotalAmount;
  const subtotal = parseDecimal(amount);
  const rate = parseDecimal(input.presentmentCurrencyRate);
  if (!subtotal || !rate || rate.units <= 0n) return NO_DISCOUNT;

  const subtotalMinor = toMinorDown(subtotal, currencyCode);
  const cap = (subtotalMinor * BigInt(maxShareOf(input.discount.configuration?.jsonValue))) / 10_000n;
  const worth = convertDown(BigInt(reservation.amountMinor), reservation.currency, rate, currencyCode);
  const discountMinor = worth < cap ? worth : cap;
  if (discountMinor <= 0n) return NO_DISCOUNT;

  return {
    operations: [
      {
        orderDiscountsAdd: {
          candidates: [
            {
              message: message(reservation.points, input.localization.language.isoCode),
              targets: [{ orderSubtotal: { excludedCartLineIds: [] } }],
              value: { fixedAmount: { amount: formatDecimal(discountMinor, currencyCode) } },
            },
          ],
          selectionStrategy: "FIRST",
        },
      },
    ],
  };
}
