import { randomBytes } from "node:crypto";
import { cartLinesDiscountsGenerateRun } from "../../extensions/points-discount/src";
import type { CartLinesDiscountsGenerateRunInputQuery } from "../../extensions/points-discount/generated/api";
import { localDate } from "../shared/calendar";
import { APP_NAMESPACE, RESERVATION_ATTRIBUTE, RESERVATION_KEY } from "../shopify/contract";
import { localMetafield } from "./local-admin-api.server";

/**
 * Local mode only: the storefront preview's cart, standing in for Shopify's Cart AJAX API (`/cart.js`,
 * `/cart/update.js`), and a stand-in checkout total computed by running the real discount Function on it. Carts live
 * in memory, one per browser (a cookie), as Shopify's cart does: two tabs share one cart.
 */

export const PREVIEW_CART_COOKIE = "tsumiki_preview_cart";

export interface PreviewLine {
  title: string;
  /** Yen: the demo shop's currency has no minor unit. */
  price: number;
  quantity: number;
}

export interface PreviewCart {
  token: string;
  lines: PreviewLine[];
  attributes: Record<string, string>;
}

const DEMO_LINES: PreviewLine[] = [
  { title: "Tea bowl", price: 3600, quantity: 1 },
  { title: "Indigo tenugui", price: 5400, quantity: 1 },
];

const carts = new Map<string, PreviewCart>();

/** This browser's cart, and the Set-Cookie header that keeps it when it was just made. */
export function previewCart(request: Request): { cart: PreviewCart; setCookie?: string } {
  const cookie = request.headers.get("Cookie") ?? "";
  const token = new RegExp(`(?:^|;\\s*)${PREVIEW_CART_COOKIE}=([\\w-]+)`).exec(cookie)?.[1];
  const known = token ? carts.get(token) : undefined;
  if (known) return { cart: known };
  const cart = { token: token ?? randomBytes(12).toString("base64url"), lines: DEMO_LINES, attributes: {} };
  carts.set(cart.token, cart);
  return { cart, setCookie: `${PREVIEW_CART_COOKIE}=${cart.token}; Path=/local; HttpOnly; SameSite=Lax` };
}

export const subtotalYen = (cart: PreviewCart) => cart.lines.reduce((sum, l) => sum + l.price * l.quantity, 0);

/** The cart as `/cart.js` answers: amounts in hundredths of the currency's main unit, whatever its exponent. */
export function ajaxCart(cart: PreviewCart) {
  const subtotal = subtotalYen(cart) * 100;
  return {
    token: cart.token,
    currency: "JPY",
    item_count: cart.lines.reduce((sum, l) => sum + l.quantity, 0),
    items: cart.lines.map((l, i) => ({
      id: i + 1,
      title: l.title,
      quantity: l.quantity,
      price: l.price * 100,
      line_price: l.price * l.quantity * 100,
    })),
    items_subtotal_price: subtotal,
    total_price: subtotal,
    attributes: cart.attributes,
  };
}

/** `/cart/update.js` with `attributes`: a blank value removes the attribute, as Shopify does. */
export function updateAttributes(cart: PreviewCart, attributes: unknown): void {
  if (typeof attributes !== "object" || attributes === null) return;
  for (const [name, value] of Object.entries(attributes as Record<string, unknown>)) {
    if (value === null || value === "") delete cart.attributes[name];
    else cart.attributes[name] = String(value);
  }
}

export interface PreviewCheckout {
  subtotal: number;
  discounts: Array<{ message: string; amount: number }>;
  total: number;
}

/**
 * What checkout would charge: the discount Function's run function fed the input its query asks for, built from this
 * cart, the logged-in customer's reservation metafield as the local Admin API recorded it, and the program's share.
 */
export function previewCheckout(
  cart: PreviewCart,
  customerId: string | null,
  options: { maxShareBasisPoints: number; timezone: string; locale: string; now?: Date },
): PreviewCheckout {
  const subtotal = subtotalYen(cart);
  const nonce = cart.attributes[RESERVATION_ATTRIBUTE];
  const reservation = customerId
    ? localMetafield(`gid://shopify/Customer/${customerId}`, APP_NAMESPACE, RESERVATION_KEY)
    : null;
  const input: CartLinesDiscountsGenerateRunInputQuery = {
    presentmentCurrencyRate: "1.0",
    cart: {
      cost: { subtotalAmount: { amount: `${subtotal}.0`, currencyCode: "JPY" } },
      attribute: nonce === undefined ? null : { value: nonce },
      buyerIdentity: customerId ? { customer: { reservation: reservation ? { jsonValue: reservation } : null } } : null,
    },
    discount: {
      discountClasses: ["ORDER"],
      configuration: { jsonValue: { maxShareBasisPoints: options.maxShareBasisPoints } },
    },
    localization: { language: { isoCode: options.locale === "ja" ? "JA" : "EN" } },
    shop: { localTime: { date: localDate(options.now ?? new Date(), options.timezone) } },
  };
  const discounts = cartLinesDiscountsGenerateRun(input).operations.flatMap((operation) =>
    "orderDiscountsAdd" in operation && operation.orderDiscountsAdd
      ? operation.orderDiscountsAdd.candidates.map((candidate) => ({
          message: candidate.message ?? "",
          amount:
            "fixedAmount" in candidate.value && candidate.value.fixedAmount
              ? Number(candidate.value.fixedAmount.amount)
              : 0,
        }))
      : [],
  );
  const off = discounts.reduce((sum, d) => sum + d.amount, 0);
  return { subtotal, discounts, total: subtotal - off };
}
