/**
 * `npm run bench`: prints the performance figures the issues ask for, on the embedded PGlite database and,
 * when one is reachable, on PostgreSQL (DATABASE_URL, or the local server at 127.0.0.1:5432/test).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import pg from "pg";

interface Target {
  name: string;
  url: string;
  cleanup?: () => Promise<void>;
}

async function postgresTarget(): Promise<Target | null> {
  const server = process.env.DATABASE_URL?.startsWith("postgres")
    ? process.env.DATABASE_URL
    : "postgres://postgres@127.0.0.1:5432/test";
  const name = `tsumiki_bench_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: server, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
  } catch (error) {
    console.log(
      `PostgreSQL not reachable at ${server.replace(/\/\/[^@]*@/, "//")}: skipped (${(error as Error).message})`,
    );
    return null;
  } finally {
    await admin.end().catch(() => undefined);
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    name: "PostgreSQL",
    url: url.toString(),
    cleanup: async () => {
      const client = new pg.Client({ connectionString: server });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

function run(script: string, url: string): Record<string, number> {
  const out = execFileSync("npx", ["tsx", script], {
    env: { ...process.env, DATABASE_URL: url },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = out
    .trim()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .pop();
  if (!line) throw new Error(`${script} printed no result:\n${out}`);
  return JSON.parse(line) as Record<string, number>;
}

const targets: Target[] = [{ name: "PGlite (embedded)", url: "memory://" }];
const postgres = await postgresTarget();
if (postgres) targets.push(postgres);

const results: Record<string, unknown> = {};
console.log("\norders/paid webhooks through the real route vs raw inserts of the same rows");
console.log("database            | route orders/s | raw orders/s | route/raw");
for (const target of targets) {
  try {
    const result = run("bench/webhooks.ts", target.url);
    results[`webhooks:${target.name}`] = result;
    console.log(
      `${target.name.padEnd(19)} | ${result.routePerSecond.toFixed(0).padStart(14)} | ${result.rawPerSecond.toFixed(0).padStart(12)} | ${result.ratio.toFixed(2).padStart(9)}`,
    );
  } finally {
    await target.cleanup?.();
  }
}

console.log("\nfraud detection on the earn path: orders/paid through the real route, detection on vs off");
console.log("database            | on orders/s | off orders/s | overhead %");
for (const target of targets) {
  const fresh = target.name === "PostgreSQL" ? await postgresTarget() : target;
  if (!fresh) continue;
  try {
    const result = run("bench/earn-detection.ts", fresh.url);
    results[`earn-detection:${target.name}`] = result;
    console.log(
      `${target.name.padEnd(19)} | ${result.onPerSecond.toFixed(0).padStart(11)} | ${result.offPerSecond.toFixed(0).padStart(12)} | ${result.overheadPercent.toFixed(1).padStart(10)}   (${result.orders} orders each, ${result.historyOrders} of history, ${result.cases} cases)`,
    );
  } finally {
    await fresh.cleanup?.();
  }
}

console.log("\npublic API balance reads (GET /api/v1/members/{id} through the route, 50 concurrent keys)");
console.log("database            |    reads/s |  p50 ms |  p99 ms");
for (const target of targets) {
  const fresh = target.name === "PostgreSQL" ? await postgresTarget() : target;
  if (!fresh) continue;
  try {
    const result = run("bench/api.ts", fresh.url);
    results[`api:${target.name}`] = result;
    console.log(
      `${target.name.padEnd(19)} | ${result.perSecond.toFixed(0).padStart(10)} | ${result.p50ms.toFixed(1).padStart(7)} | ${result.p99ms.toFixed(1).padStart(7)}   (${result.reads} reads, ${result.keys} keys)`,
    );
  } finally {
    await fresh.cleanup?.();
  }
}

console.log("\ncheckout reservations (POST /checkout/points, signed session tokens, 8 concurrent)");
console.log("database            | requests/s |  p50 ms |  p99 ms");
for (const target of targets) {
  const fresh = target.name === "PostgreSQL" ? await postgresTarget() : target;
  if (!fresh) continue;
  try {
    const result = run("bench/reservations.ts", fresh.url);
    results[`reservations:${target.name}`] = result;
    console.log(
      `${target.name.padEnd(19)} | ${result.perSecond.toFixed(0).padStart(10)} | ${result.p50ms.toFixed(1).padStart(7)} | ${result.p99ms.toFixed(1).padStart(7)}`,
    );
  } finally {
    await fresh.cleanup?.();
  }
}

console.log("\nscheduled sweeps at scale (rows per second beside the raw UPDATE rate of the same rows)");
console.log("database            | expiry lots/s | raw lot updates/s | tier members/s | raw member updates/s");
for (const target of targets) {
  const fresh = target.name === "PostgreSQL" ? await postgresTarget() : target;
  if (!fresh) continue;
  try {
    const result = run("bench/scheduled.ts", fresh.url);
    results[`scheduled:${target.name}`] = result;
    console.log(
      `${target.name.padEnd(19)} | ${result.expiryPerSecond.toFixed(0).padStart(13)} | ${result.rawLotUpdatesPerSecond.toFixed(0).padStart(17)} | ${result.tierPerSecond.toFixed(0).padStart(14)} | ${result.rawMemberUpdatesPerSecond.toFixed(0).padStart(20)}   (${result.lots} lots, ${result.members} members)`,
    );
  } finally {
    await fresh.cleanup?.();
  }
}

console.log("\nmerchant admin at scale: customer search (real route) and a balance CSV import");
console.log("database            | members | search p50 ms | p99 ms | import check rows/s | apply rows/s");
for (const target of targets) {
  const fresh = target.name === "PostgreSQL" ? await postgresTarget() : target;
  if (!fresh) continue;
  try {
    const result = run("bench/admin.ts", fresh.url);
    results[`admin:${target.name}`] = result;
    console.log(
      `${target.name.padEnd(19)} | ${String(result.members).padStart(7)} | ${result.searchP50ms.toFixed(1).padStart(12)} | ${result.searchP99ms.toFixed(1).padStart(6)} | ${result.checkRowsPerSecond.toFixed(0).padStart(19)} | ${result.applyRowsPerSecond.toFixed(0).padStart(12)}`,
    );
  } finally {
    await fresh.cleanup?.();
  }
}

console.log(
  "\ncustomers synced from a 100,000-line bulk result (download, check, apply) vs raw inserts of the same rows",
);
console.log("database            | synced customers/s | resynced/s | raw inserts/s | synced/raw");
for (const target of targets) {
  const fresh = target.name === "PostgreSQL" ? await postgresTarget() : target;
  if (!fresh) continue;
  try {
    const result = run("bench/sync.ts", fresh.url);
    results[`sync:${target.name}`] = result;
    console.log(
      `${target.name.padEnd(19)} | ${result.syncPerSecond.toFixed(0).padStart(18)} | ${result.resyncPerSecond.toFixed(0).padStart(10)} | ${result.rawPerSecond.toFixed(0).padStart(13)} | ${result.ratio.toFixed(2).padStart(10)}`,
    );
  } finally {
    await fresh.cleanup?.();
  }
}

console.log("\nreconciliation of missed webhooks: 10,000 paid orders (a fifth refunded) the app never heard of");
console.log("database            | recovered orders/s | checked orders/s (nothing missing) | raw orders/s");
for (const target of targets) {
  const fresh = target.name === "PostgreSQL" ? await postgresTarget() : target;
  if (!fresh) continue;
  try {
    const result = run("bench/reconcile.ts", fresh.url);
    results[`reconcile:${target.name}`] = result;
    console.log(
      `${target.name.padEnd(19)} | ${result.recoveredOrdersPerSecond.toFixed(0).padStart(18)} | ${result.checkedOrdersPerSecond.toFixed(0).padStart(34)} | ${result.rawOrdersPerSecond.toFixed(0).padStart(12)}`,
    );
  } finally {
    await fresh.cleanup?.();
  }
}

console.log(
  "\nmigration from another loyalty app: a 100,000-row export through the real route, streamed, then applied",
);
console.log("database            | dry run rows/s | apply rows/s | imported rows/s | peak RSS MB (before upload)");
for (const target of targets) {
  const fresh = target.name === "PostgreSQL" ? await postgresTarget() : target;
  if (!fresh) continue;
  try {
    const result = run("bench/migration.ts", fresh.url);
    results[`migration:${target.name}`] = result;
    console.log(
      `${target.name.padEnd(19)} | ${result.checkRowsPerSecond.toFixed(0).padStart(14)} | ${result.applyRowsPerSecond.toFixed(0).padStart(12)} | ${result.rowsPerSecond.toFixed(0).padStart(15)} | ${result.maxRssMB.toFixed(0).padStart(11)} (${result.maxRssBeforeMB.toFixed(0)})`,
    );
  } finally {
    await fresh.cleanup?.();
  }
}

console.log(
  "\nnotifications: pre-expiry reminders for 100,000 consenting members, planned into the outbox, then emails " +
    "delivered into the local SMTP server (the first 10,000)",
);
console.log("database            | planned messages/s | members planned/s | sent emails/s");
for (const target of targets) {
  const fresh = target.name === "PostgreSQL" ? await postgresTarget() : target;
  if (!fresh) continue;
  try {
    const result = run("bench/notifications.ts", fresh.url);
    results[`notifications:${target.name}`] = result;
    console.log(
      `${target.name.padEnd(19)} | ${result.plannedPerSecond.toFixed(0).padStart(18)} | ${result.plannedMembersPerSecond.toFixed(0).padStart(17)} | ${result.sentPerSecond.toFixed(0).padStart(13)}   (${result.planned} planned for ${result.members} members, email and Flow; ${result.sent} sent)`,
    );
  } finally {
    await fresh.cleanup?.();
  }
}

console.log("\nnightly insight fit (BG/NBD and Gamma-Gamma) for one shop: read orders, fit, write every member's row");
console.log("database            | members |  orders | read s |  fit s | write s | total s");
for (const target of targets) {
  const fresh = target.name === "PostgreSQL" ? await postgresTarget() : target;
  if (!fresh) continue;
  try {
    const result = run("bench/insights.ts", fresh.url);
    results[`insights:${target.name}`] = result;
    console.log(
      `${target.name.padEnd(19)} | ${String(result.members).padStart(7)} | ${String(result.orders).padStart(7)} | ${result.readSeconds.toFixed(1).padStart(6)} | ${result.fitSeconds.toFixed(1).padStart(6)} | ${result.writeSeconds.toFixed(1).padStart(7)} | ${result.totalSeconds.toFixed(1).padStart(7)}   (${result.fitted} members fitted, ${result.repeatCustomers} with a repeat purchase)`,
    );
  } finally {
    await fresh.cleanup?.();
  }
}

const fn = run("bench/function.ts", "memory://");
results.function = fn;
console.log(
  `\npoints discount Function, 200-line cart: ${fn.microsecondsPerRun.toFixed(1)} µs per run (Node), output ${fn.outputBytes} bytes`,
);

const size = run("bench/extension-size.ts", "memory://");
results.checkoutExtension = size;
console.log(
  `checkout extension bundle: ${(size.gzipBytes / 1024).toFixed(1)} KB gzipped (limit 64 KB), ${(size.bytes / 1024).toFixed(1)} KB raw`,
);

const account = run("bench/customer-account-size.ts", "memory://") as unknown as Record<
  string,
  { bytes: number; gzipBytes: number }
>;
results.customerAccountExtension = account;
for (const [target, size] of Object.entries(account)) {
  console.log(
    `customer account extension, ${target}: ${(size.gzipBytes / 1024).toFixed(1)} KB gzipped (limit 64 KB), ${(size.bytes / 1024).toFixed(1)} KB raw`,
  );
}

const widget = run("bench/widget-size.ts", "memory://");
results.widget = widget;
const over =
  widget.loaderRaw > 10_000 ||
  widget.loaderGzip > 3 * 1024 ||
  widget.panelGzip > 10 * 1024 ||
  widget.cssGzip > 4 * 1024 ||
  widget.cartRaw > 10_000;
console.log(
  `storefront widget: the blocks' script ${widget.loaderRaw} B as shipped (Shopify's limit 10,000 B), ` +
    `${(widget.loaderGzip / 1024).toFixed(2)} KB gzipped (budget 3 KB); ` +
    `the panel loaded on opening ${(widget.panelRaw / 1024).toFixed(2)} KB, ${(widget.panelGzip / 1024).toFixed(2)} KB gzipped (budget 10 KB); ` +
    `the cart block's script ${widget.cartRaw} B as shipped (limit 10,000 B), ${(widget.cartGzip / 1024).toFixed(2)} KB gzipped; ` +
    `CSS ${(widget.cssGzip / 1024).toFixed(2)} KB gzipped (budget 4 KB)` +
    (over ? "  OVER BUDGET" : ""),
);

const fraud = run("bench/fraud.ts", "memory://") as unknown as {
  members: number;
  orders: number;
  evaluations: number;
  held: number;
  evaluationsPerSecond: number;
  microsecondsPerEvaluation: number;
  earnPathOnPerSecond: number;
  earnPathOffPerSecond: number;
  baselineMsPerDay: number;
  wholesaleFlags: number;
  holidayFalseFlags: number;
  rules: { rule: string; labelled: number; flagged: number; found: number; precision: number; recall: number }[];
};
results.fraud = fraud;
console.log(
  `\nfraud detection on a generated shop (${fraud.members} members, ${fraud.orders} orders, injected abuse of each kind)`,
);
console.log("rule               | labelled | flagged | found | precision | recall");
for (const r of fraud.rules) {
  console.log(
    `${r.rule.padEnd(18)} | ${String(r.labelled).padStart(8)} | ${String(r.flagged).padStart(7)} | ${String(r.found).padStart(5)} | ${r.precision.toFixed(2).padStart(9)} | ${r.recall.toFixed(2).padStart(6)}`,
  );
}
console.log(
  `earn-time rules: ${fraud.evaluationsPerSecond.toFixed(0)} evaluations/s (${fraud.microsecondsPerEvaluation.toFixed(1)} µs each, pure); ` +
    `in-memory earn path ${fraud.earnPathOnPerSecond.toFixed(0)} orders/s with detection, ${fraud.earnPathOffPerSecond.toFixed(0)} without; ` +
    `baseline refresh ${fraud.baselineMsPerDay.toFixed(1)} ms/day; ${fraud.held} earns held; ` +
    `false flags on wholesale buyers ${fraud.wholesaleFlags}, on the holiday sale ${fraud.holidayFalseFlags}`,
);

mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/latest.json", JSON.stringify(results, null, 2));
