import { createHmac, timingSafeEqual } from "node:crypto";
import { BODY_LIMITS } from "../http/body-limits";
import { BodyTooLarge, readLimited } from "../http/body.server";

export interface VerifiedWebhook {
  topic: string;
  shopDomain: string;
  webhookId: string;
  eventId: string | null;
  apiVersion: string;
  body: string;
}

export class WebhookRejection extends Error {
  constructor(
    readonly status: 400 | 401 | 405 | 413,
    message: string,
  ) {
    super(message);
  }
}

const REQUIRED_HEADERS = ["X-Shopify-Topic", "X-Shopify-Shop-Domain", "X-Shopify-Webhook-Id", "X-Shopify-API-Version"];
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/**
 * Verifies a webhook exactly as Shopify signs it: X-Shopify-Hmac-Sha256 is the base64 HMAC-SHA256 of the
 * raw body bytes under the app's API secret, compared in constant time. The session is not loaded: no
 * handler here calls Shopify back, and a webhook must be answered fast.
 */
export async function verifyWebhook(request: Request, secret: string): Promise<VerifiedWebhook> {
  if (request.method !== "POST") throw new WebhookRejection(405, "webhooks must be POST");
  let body: Buffer;
  try {
    body = Buffer.from(await readLimited(request, BODY_LIMITS.webhook));
  } catch (error) {
    if (error instanceof BodyTooLarge)
      throw new WebhookRejection(413, `webhook body is larger than ${BODY_LIMITS.webhook} bytes`);
    throw error;
  }
  const signature = request.headers.get("X-Shopify-Hmac-Sha256");
  if (!signature) throw new WebhookRejection(401, "missing X-Shopify-Hmac-Sha256 signature");
  const expected = createHmac("sha256", secret).update(body).digest();
  const given = Buffer.from(signature, "base64");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new WebhookRejection(401, "invalid HMAC signature");
  }
  const missing = REQUIRED_HEADERS.filter((name) => !request.headers.get(name));
  if (missing.length > 0)
    throw new WebhookRejection(400, `missing ${missing.join(", ")} header${missing.length > 1 ? "s" : ""}`);
  const shopDomain = request.headers.get("X-Shopify-Shop-Domain")!.toLowerCase();
  if (!SHOP_DOMAIN.test(shopDomain)) throw new WebhookRejection(400, `"${shopDomain}" is not a myshopify.com domain`);
  return {
    topic: request.headers.get("X-Shopify-Topic")!,
    shopDomain,
    webhookId: request.headers.get("X-Shopify-Webhook-Id")!,
    eventId: request.headers.get("X-Shopify-Event-Id"),
    apiVersion: request.headers.get("X-Shopify-API-Version")!,
    body: body.toString("utf8"),
  };
}
