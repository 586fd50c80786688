import { createHmac, timingSafeEqual } from "node:crypto";
import { BodyTooLarge, readLimited } from "../http/body.server";

/**
 * A Flow action's payload is a handful of ids and the merchant's fields (a reason of at most 500 characters): far
 * below this. The server's own limit for the path (the admin's 1 MB) applies before the route reads anything.
 */
export const FLOW_ACTION_BODY_LIMIT = 64 * 1024;

export class FlowActionRejection extends Error {
  constructor(
    readonly status: 401 | 405 | 413,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Verifies a Flow action request as Shopify signs it: X-Shopify-Hmac-Sha256 is the base64 HMAC-SHA256 of the raw
 * body bytes under the app's client secret (as for webhooks), compared in constant time. Returns the body as text.
 */
export async function verifyFlowAction(request: Request, secret: string): Promise<string> {
  if (request.method !== "POST") throw new FlowActionRejection(405, "Flow actions must be POST");
  let body: Buffer;
  try {
    body = Buffer.from(await readLimited(request, FLOW_ACTION_BODY_LIMIT));
  } catch (error) {
    if (error instanceof BodyTooLarge)
      throw new FlowActionRejection(413, `Flow action body is larger than ${FLOW_ACTION_BODY_LIMIT} bytes`);
    throw error;
  }
  const signature = request.headers.get("X-Shopify-Hmac-Sha256");
  if (!signature) throw new FlowActionRejection(401, "missing X-Shopify-Hmac-Sha256 signature");
  const expected = createHmac("sha256", secret).update(body).digest();
  const given = Buffer.from(signature, "base64");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new FlowActionRejection(401, "invalid HMAC signature");
  }
  return body.toString("utf8");
}
