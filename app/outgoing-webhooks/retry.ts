/** How long a sender holds a claimed delivery: a receiver gets 10 s, so a claim older than this is a dead sender's. */
export const CLAIM_MS = 60_000;
/** A receiver answers within this, or the attempt counts as failed. */
export const TIMEOUT_MS = 10_000;
/** Deliveries are retried at least this long after the event, then failed (a member of staff can send one again). */
export const RETRY_FOR_MS = 24 * 3_600_000;

const FIRST_DELAY_MS = 30_000;
const MAX_DELAY_MS = 3_600_000;

/** The pause after the `attempts`-th failed attempt: 30 s, doubling, at most an hour. */
export function retryDelay(attempts: number): number {
  return Math.min(FIRST_DELAY_MS * 2 ** Math.max(0, attempts - 1), MAX_DELAY_MS);
}

/** After a failed attempt: when to try again, or null when the delivery has been retried long enough. */
export function nextAttemptAfter(failure: { attempts: number; createdAt: Date; now: Date }): Date | null {
  if (failure.now.getTime() - failure.createdAt.getTime() >= RETRY_FOR_MS) return null;
  return new Date(failure.now.getTime() + retryDelay(failure.attempts));
}

/** 2xx is delivered; anything else (a redirect too) is a failure to retry. */
export function accepted(status: number): boolean {
  return status >= 200 && status < 300;
}
