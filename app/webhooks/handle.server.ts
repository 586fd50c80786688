import type { z } from "zod";
import { MoneyError } from "../shared/money";
import prisma from "../db.server";
import { claimDelivery, recordOutcome } from "./deliveries.server";
import type { Outcome } from "../earning/orders.server";
import type { Tx } from "../db/transaction.server";
import { readConfig } from "../config.server";
import { parseJsonExact } from "./json";
import { requireInstalledShop, ShopNotInstalled } from "../shops/shops.server";
import { verifyWebhook, WebhookRejection, type VerifiedWebhook } from "./verify.server";

export interface WebhookContext<T> {
  shopDomain: string;
  payload: T;
  webhookId: string;
  eventId: string | null;
}

export interface WebhookSpec<S extends z.ZodType, P = undefined> {
  /** As Shopify names it in X-Shopify-Topic, e.g. "orders/paid". */
  topic: string;
  schema: S;
  /**
   * Whether the topic is handled for a shop that has not installed the app, or has uninstalled it. Only the
   * privacy topics (which Shopify sends after an uninstall) and app/uninstalled itself (which repeats) are;
   * every other topic is refused, so a delivery for such a shop writes nothing and never installs it.
   */
  uninstalledShops?: "handle";
  /**
   * Work that must happen outside the transaction, such as reading from the Admin API (whose session
   * lookup needs a database connection of its own); its result is handed to `apply`.
   */
  prepare?: (context: WebhookContext<z.infer<S>>) => Promise<P>;
  apply: (tx: Tx, context: WebhookContext<z.infer<S>>, prepared: P) => Promise<Outcome>;
}

function reject(status: number, error: string): Response {
  return Response.json({ error }, { status });
}

/**
 * The shared path of every webhook: verify Shopify's HMAC (401), check the headers and topic and validate the payload
 * (400, nothing written), then claim the delivery and apply its effect in one transaction, so a repeated
 * or concurrent delivery has exactly one effect and a failure leaves nothing for Shopify's retry to trip on.
 */
export async function handleWebhook<S extends z.ZodType, P = undefined>(
  request: Request,
  spec: WebhookSpec<S, P>,
): Promise<Response> {
  let webhook: VerifiedWebhook;
  try {
    webhook = await verifyWebhook(request, readConfig().apiSecret);
  } catch (error) {
    if (error instanceof WebhookRejection) return reject(error.status, error.message);
    throw error;
  }
  if (webhook.topic !== spec.topic) return reject(400, `this endpoint takes ${spec.topic}, not ${webhook.topic}`);

  let json: unknown;
  try {
    json = parseJsonExact(webhook.body);
  } catch {
    return reject(400, "body is not valid JSON");
  }
  const parsed = spec.schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return reject(400, `invalid ${spec.topic} payload: ${issue.path.join(".") || "(root)"} ${issue.message}`);
  }

  const result = await processDelivery(spec, webhook, parsed.data).catch((error: unknown) => {
    // Amounts that pass the schema but cannot be money (too large for exact integers) are bad input too.
    if (error instanceof MoneyError) return reject(400, `invalid ${spec.topic} payload: ${error.message}`);
    // 404, not 2xx: Shopify retries for hours, so a delivery racing a reinstall is applied once the shop is back.
    if (error instanceof ShopNotInstalled) return reject(404, error.message);
    throw error;
  });
  return result instanceof Response ? result : Response.json(result);
}

async function processDelivery<S extends z.ZodType, P>(
  spec: WebhookSpec<S, P>,
  webhook: VerifiedWebhook,
  payload: z.infer<S>,
): Promise<Outcome> {
  const { shopDomain, webhookId, eventId } = webhook;
  const context = { shopDomain, payload, webhookId, eventId };
  // Before any call to Shopify that `prepare` makes; checked again in the transaction that writes.
  if (spec.prepare && spec.uninstalledShops !== "handle") await requireInstalledShop(prisma, shopDomain);
  const prepared = (spec.prepare ? await spec.prepare(context) : undefined) as P;
  return prisma.$transaction(
    async (tx) => {
      if (spec.uninstalledShops !== "handle") await requireInstalledShop(tx, shopDomain);
      const claim = await claimDelivery(tx, { shopDomain, topic: spec.topic, webhookId, eventId });
      if (!claim) return { outcome: "duplicate", detail: "delivery already processed" } satisfies Outcome;
      const outcome = await spec.apply(tx, context, prepared);
      await recordOutcome(tx, claim, outcome.outcome, outcome.detail);
      return outcome;
    },
    { maxWait: 15_000, timeout: 15_000 },
  );
}
