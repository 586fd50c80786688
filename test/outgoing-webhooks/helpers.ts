import prisma from "../../app/db.server";
import * as page from "../../app/routes/app.integrations.webhooks";
import { callRoute } from "../support/routes";
import { adminRequest } from "../support/shopify";

export const OWNER = "42"; // the test interceptor's token exchange says 42 owns every shop

/** The admin page's action, as the page posts it. */
export function pageAction(body: unknown, shop: string, staff = OWNER): Promise<Response> {
  return callRoute(
    page,
    "action",
    adminRequest("POST", "/app/integrations/webhooks", body, shop, staff),
  ) as Promise<Response>;
}

/** Subscribes a URL through the admin page and returns the subscription's id and the secret shown once. */
export async function subscribe(shop: string, url: string, events: string[]): Promise<{ id: string; secret: string }> {
  const response = await pageAction({ intent: "create", url, events }, shop);
  if (response.status !== 200) throw new Error(`subscribing failed: ${response.status} ${await response.text()}`);
  const { created } = (await response.json()) as { created: { id: string; secret: string } };
  return created;
}

export function deliveriesOf(subscriptionId: string) {
  return prisma.webhookDelivery.findMany({ where: { subscriptionId }, orderBy: { id: "asc" } });
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
