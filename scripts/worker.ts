/** `npm run worker`: the background jobs in a process of their own (run the app with TSUMIKI_JOBS=off). */
import { expireDueReservations } from "../app/services/checkout.server";

const EVERY_MS = Number(process.env.TSUMIKI_SWEEP_MS ?? 60_000);
for (;;) {
  const ended = await expireDueReservations().catch((error: unknown) => {
    console.error("reservation sweep failed", error);
    return 0;
  });
  if (ended) console.log(`released ${ended} expired reservations`);
  await new Promise((resolve) => setTimeout(resolve, EVERY_MS));
}
