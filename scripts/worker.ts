/** `npm run worker`: the scheduled jobs in a process of their own (run the app with TSUMIKI_JOBS=off). */
import { runScheduledJobs } from "../app/jobs/jobs.server";

const EVERY_MS = Number(process.env.TSUMIKI_JOBS_EVERY_MS ?? 60_000);
for (;;) {
  try {
    const done = await runScheduledJobs();
    if (done.reservations || done.activated || done.expired)
      console.log(JSON.stringify({ at: new Date().toISOString(), ...done }));
  } catch (error) {
    console.error("scheduled jobs failed", error);
  }
  await new Promise((resolve) => setTimeout(resolve, EVERY_MS));
}
