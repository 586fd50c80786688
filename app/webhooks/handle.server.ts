import type { z } from "zod";
import { MoneyError } from "../shared/money";
import prisma from "../db.server";
import { claimDelivery, recordOutcome } from "./deliveries.server";
import type { Outcome } from "../earning/orders.server";
import type { Tx } from "../db/transaction.server";
import { readConfig } from "../config.server";
import { parseJsonExact } from "./json";
import { requireInstalledShop, ShopNotInstalled } from "../shops/shops.server";
import { isDatabaseUnavailable, unavailableResponse } from "../db/unavailable.server";
import { recordFailure, rememberUnreachable } from "./failures.server";
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
 * Why a delivery failed, in a line: the database's own message when Prisma carries one (its raw-query message can say
 * "undefined"), else the last line of the error's message (Prisma's first lines name our source files).
 */
function reasonOf(error: unknown): string {
  const cause = (error as { meta?: { driverAdapterError?: { cause?: { message?: unknown } } } } | null)?.meta
    ?.driverAdapterError?.cause;
  const message =
    typeof cause?.message === "string" ? cause.message : error instanceof Error ? error.message : String(error);
  const lines = message.split("\n").filter((line) => line.trim() !== "");
  return `${error instanceof Error ? error.name : "Error"}: ${lines.at(-1)?.trim() ?? "(no message)"}`;
}

/**
 * The shared path of every webhook: verify Shopify's HMAC (401), check the headers and topic and validate the payload
 * (400, nothing written), then claim the delivery and apply its effect in one transaction, so a repeated
 * or concurrent delivery has exactly one effect and a failure leaves nothing for Shopify's retry to trip on.
 *
 * A signed delivery that fails is recorded as a WebhookFailure after the fact, outside the transaction that rolled
 * back, for the webhook health page; a request whose signature does not verify is not from Shopify and writes nothing
 * (recording it would let anyone fill the table). When the database cannot be reached the answer is 503 with
 * Retry-After, so Shopify retries the delivery later; it is remembered in this process only.
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
  const { shopDomain, webhookId } = webhook;
  const receivedAt = new Date();
  const failed = async (status: number, reason: string): Promise<Response> => {
    await recordFailure(prisma, { shopDomain, topic: webhook.topic, webhookId, status, reason, receivedAt });
    return reject(status, reason);
  };
  if (webhook.topic !== spec.topic) return failed(400, `this endpoint takes ${spec.topic}, not ${webhook.topic}`);

  let json: unknown;
  try {
    json = parseJsonExact(webhook.body);
  } catch {
    return failed(400, "body is not valid JSON");
  }
  const parsed = spec.schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return failed(400, `invalid ${spec.topic} payload: ${issue.path.join(".") || "(root)"} ${issue.message}`);
  }

  try {
    return Response.json(await processDelivery(spec, webhook, parsed.data));
  } catch (error) {
    if (isDatabaseUnavailable(error)) {
      rememberUnreachable({
        shopDomain,
        topic: spec.topic,
        webhookId,
        status: 503,
        reason: reasonOf(error),
        receivedAt,
      });
      return unavailableResponse();
    }
    // Amounts that pass the schema but cannot be money (too large for exact integers) are bad input too.
    if (error instanceof MoneyError) return failed(400, `invalid ${spec.topic} payload: ${error.message}`);
    // 404, not 2xx: Shopify retries for hours, so a delivery racing a reinstall is applied once the shop is back.
    if (error instanceof ShopNotInstalled) return failed(404, error.message);
    await recordFailure(prisma, {
      shopDomain,
      topic: spec.topic,
      webhookId,
      status: 500,
      reason: reasonOf(error),
      receivedAt,
    });
    throw error;
  }
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
