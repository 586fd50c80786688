import type { z } from "zod";
import { MoneyError } from "../core/money";
import prisma from "../db.server";
import { claimDelivery, recordOutcome } from "../services/deliveries.server";
import type { Outcome } from "../services/orders.server";
import type { Tx } from "../services/transaction.server";
import { authenticate } from "../shopify.server";
import { parseJsonExact } from "./json";

export interface WebhookContext<T> {
  shopDomain: string;
  payload: T;
  webhookId: string;
  eventId: string | null;
}

export interface WebhookSpec<S extends z.ZodType> {
  /** As Shopify names it in X-Shopify-Topic, e.g. "orders/paid". */
  topic: string;
  schema: S;
  apply: (tx: Tx, context: WebhookContext<z.infer<S>>) => Promise<Outcome>;
}

function reject(status: number, error: string): Response {
  return Response.json({ error }, { status });
}

/**
 * The shared path of every webhook: verify Shopify's HMAC (401), check the topic and validate the payload
 * (400, nothing written), then claim the delivery and apply its effect in one transaction, so a repeated
 * or concurrent delivery has exactly one effect and a failure leaves nothing for Shopify's retry to trip on.
 */
export async function handleWebhook<S extends z.ZodType>(request: Request, spec: WebhookSpec<S>): Promise<Response> {
  const body = request.method === "POST" ? await request.clone().text() : "";
  let context: Awaited<ReturnType<typeof authenticate.webhook>>;
  try {
    context = await authenticate.webhook(request);
  } catch (error) {
    if (error instanceof Response) {
      return reject(error.status, error.status === 401 ? "invalid HMAC signature" : error.status === 405 ? "webhooks must be POST" : "missing or invalid Shopify webhook headers");
    }
    if (error instanceof SyntaxError) return reject(400, "body is not valid JSON");
    throw error;
  }
  const topic = request.headers.get("X-Shopify-Topic") ?? "";
  if (topic !== spec.topic) return reject(400, `this endpoint takes ${spec.topic}, not ${topic}`);

  const parsed = spec.schema.safeParse(parseJsonExact(body));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return reject(400, `invalid ${spec.topic} payload: ${issue.path.join(".") || "(root)"} ${issue.message}`);
  }

  const result = await processDelivery(request, spec, context.shop, context.webhookId, parsed.data).catch((error: unknown) => {
    // Amounts that pass the schema but cannot be money (too large for exact integers) are bad input too.
    if (error instanceof MoneyError) return reject(400, `invalid ${spec.topic} payload: ${error.message}`);
    throw error;
  });
  return result instanceof Response ? result : Response.json(result);
}

function processDelivery<S extends z.ZodType>(
  request: Request,
  spec: WebhookSpec<S>,
  shopDomain: string,
  webhookId: string,
  payload: z.infer<S>,
): Promise<Outcome> {
  const eventId = request.headers.get("X-Shopify-Event-Id");
  return prisma.$transaction(
    async (tx) => {
      const claim = await claimDelivery(tx, { shopDomain, topic: spec.topic, webhookId, eventId });
      if (!claim) return { outcome: "duplicate", detail: "delivery already processed" } satisfies Outcome;
      const outcome = await spec.apply(tx, { shopDomain, payload, webhookId, eventId });
      await recordOutcome(tx, claim, outcome.outcome, outcome.detail);
      return outcome;
    },
    { maxWait: 15_000, timeout: 15_000 },
  );
}
