/**
 * When a failed delivery is tried again: 1 minute, 5, 30, then 2, 6, 12 and 24 hours (about two days in all,
 * enough for an SMTP relay or Shopify outage), then the message is marked failed for staff to retry.
 */
const BACKOFF_MINUTES = [1, 5, 30, 120, 360, 720, 1440];
export const MAX_ATTEMPTS = BACKOFF_MINUTES.length + 1;

/** The next attempt after `attempts` failed ones, or null when the message has used them all. */
export function nextAttemptAfter(attempts: number, now: Date): Date | null {
  if (attempts >= MAX_ATTEMPTS) return null;
  const minutes = BACKOFF_MINUTES[Math.min(attempts, BACKOFF_MINUTES.length) - 1] ?? 1;
  return new Date(now.getTime() + minutes * 60_000);
}

/** How long a sender holds a claimed message before another sender may take it (it crashed, or hung). */
export const CLAIM_MS = 5 * 60_000;
