import { isPublicHost } from "./addresses";
import { isWebhookEvent, WEBHOOK_EVENTS, type WebhookEvent } from "./events";

export const MAX_URL_LENGTH = 2048;
export const MAX_SUBSCRIPTIONS = 20;

export type SubscriptionProblem =
  | { field: "url"; code: "missing" | "invalid" | "https" | "tooLong" | "private" }
  | { field: "events"; code: "none" | "unknown" };

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Checks what a merchant typed: an https URL to a public host (plain http only to this machine, in tests and local
 * mode) without credentials in it, and at least one known event. Returns the cleaned input, or every problem.
 */
export function checkSubscription(
  input: { url?: unknown; events?: unknown },
  options: { allowLoopbackHttp: boolean },
): { ok: true; url: string; events: WebhookEvent[] } | { ok: false; problems: SubscriptionProblem[] } {
  const problems: SubscriptionProblem[] = [];
  const text = typeof input.url === "string" ? input.url.trim() : "";
  let url: URL | null = null;
  if (text === "") problems.push({ field: "url", code: "missing" });
  else if (text.length > MAX_URL_LENGTH) problems.push({ field: "url", code: "tooLong" });
  else {
    url = URL.canParse(text) ? new URL(text) : null;
    if (!url || !url.hostname || url.username || url.password) problems.push({ field: "url", code: "invalid" });
    else if (
      url.protocol !== "https:" &&
      !(url.protocol === "http:" && options.allowLoopbackHttp && LOOPBACK.has(url.hostname))
    ) {
      problems.push({ field: "url", code: "https" });
    } else if (url.protocol === "https:" && !isPublicHost(url.hostname)) {
      problems.push({ field: "url", code: "private" });
    }
  }
  const given = Array.isArray(input.events) ? input.events : [];
  if (given.length === 0) problems.push({ field: "events", code: "none" });
  else if (!given.every(isWebhookEvent)) problems.push({ field: "events", code: "unknown" });
  if (problems.length > 0 || !url) return { ok: false, problems };
  // In the canonical order, each once.
  const events = WEBHOOK_EVENTS.filter((event) => given.includes(event));
  return { ok: true, url: url.toString(), events };
}
