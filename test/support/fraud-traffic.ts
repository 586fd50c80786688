import { expect } from "vitest";
import type { Shop } from "../../app/generated/prisma/client";
import { installShop, memberState, orderPayload } from "./fixtures";
import { deliver } from "./routes";

const DAY = 86_400_000;

/** An email of the customer's own: test payloads' customerNNN@ would all share one stem (and look farmed). */
export const emailOf = (customerId: number) =>
  `${customerId
    .toString(26)
    .split("")
    .map((c) => String.fromCharCode(97 + parseInt(c, 26)))
    .join("")}.buyer@example.org`;

/** A paid order through the real orders/paid route, placed at `at`, from a customer with an email of their own. */
export async function pay(domain: string, customerId: number, total: number, at: Date) {
  const order = orderPayload({ customerId, total: String(total), processedAt: at.toISOString() });
  order.email = emailOf(customerId);
  if (order.customer) order.customer.email = emailOf(customerId);
  const response = await deliver("orders/paid", order, { shop: domain });
  expect(response.status).toBe(200);
  return { order, result: (await response.json()) as { outcome: string; detail: string } };
}

/**
 * A shop whose members order rarely: 12 members, 2 orders each of ¥4,000–¥7,000 over the last four weeks (24
 * orders, above the 20 a baseline needs).
 */
export async function quietShop(domain: string): Promise<Shop> {
  const shop = await installShop(domain);
  const now = Date.now();
  for (let m = 0; m < 12; m++) {
    for (let k = 0; k < 2; k++) {
      await pay(domain, 100 + m, 4000 + ((m * 7 + k * 3) % 4) * 1000, new Date(now - (3 + m + k * 12) * DAY));
    }
  }
  return shop;
}

export async function memberOf(domain: string, customerId: number) {
  const member = await memberState(customerId, domain);
  if (!member) throw new Error(`no member ${customerId}`);
  return member;
}
