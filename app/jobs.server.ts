import { expireDueReservations } from "./services/checkout.server";

const SWEEP_EVERY_MS = 60_000;

declare global {
  var tsumikiJobs: NodeJS.Timeout | undefined;
}

/**
 * Background jobs, in-process by default (TSUMIKI_JOBS=off leaves them to `npm run worker`): the
 * reservation sweep gives back points whose checkout ran out of time. Started once per process.
 */
export function startJobs(env: Record<string, string | undefined> = process.env): boolean {
  if (env.TSUMIKI_JOBS === "off" || env.NODE_ENV === "test" || globalThis.tsumikiJobs) return false;
  globalThis.tsumikiJobs = setInterval(() => {
    expireDueReservations().catch((error: unknown) => console.error("reservation sweep failed", error));
  }, SWEEP_EVERY_MS);
  globalThis.tsumikiJobs.unref();
  return true;
}
