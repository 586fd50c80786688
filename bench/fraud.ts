/**
 * Fraud detection on a generated shop bigger than the test's (20,000 members, 20 wholesale buyers, 12 staff, 20
 * injected cases of each abuse): precision and recall per rule, and what the pure earn-time rules cost. The earn
 * path is replayed in memory twice, detection on and off, so the difference is detection alone; per-evaluation
 * microseconds compare with the orders/paid route's per-order time above. No database: figures only, no assertion.
 */
import { DEFAULT_THRESHOLDS } from "../app/fraud/thresholds";
import { quality, replay, subjects } from "../test/fraud/replay";
import { generateTraffic } from "../test/support/traffic";

const options = { seed: 7, members: 20_000, wholesale: 20, staff: 12, abuse: 20 };
// Warm the JIT on a small shop first.
replay(generateTraffic({ seed: 1, members: 2_000, abuse: 2 }));

const generated = performance.now();
const traffic = generateTraffic(options);
const generateMs = performance.now() - generated;
const on = replay(traffic, DEFAULT_THRESHOLDS, true);
const off = replay(traffic, DEFAULT_THRESHOLDS, false);
const rows = quality(traffic, on.flags);

const wholesale = new Set(traffic.wholesaleMemberIds);
const labelled = new Set(traffic.labels.map((l) => l.subject));
const holding = on.flags.filter((f) => f.signal.score >= DEFAULT_THRESHOLDS.holdAtScore);
const evaluated = traffic.orders.filter((o) => o.at >= traffic.evaluateFrom).length;

console.log(
  JSON.stringify({
    members: traffic.members.length,
    orders: traffic.orders.length,
    evaluations: on.evaluations,
    held: on.held,
    generateMs,
    evaluationsPerSecond: on.evaluations / (on.evaluateMs / 1000),
    microsecondsPerEvaluation: (on.evaluateMs * 1000) / on.evaluations,
    earnPathOnPerSecond: evaluated / (on.earnPathMs / 1000),
    earnPathOffPerSecond: evaluated / (off.earnPathMs / 1000),
    baselineMsPerDay: on.baselineMs / (traffic.options.days - traffic.options.warmupDays),
    wholesaleFlags: holding.filter((f) => f.signal.evidence.memberIds.some((m) => wholesale.has(m))).length,
    holidayFalseFlags: holding.filter(
      (f) =>
        f.at >= traffic.holiday.from && f.at < traffic.holiday.to && subjects(f.signal).some((s) => !labelled.has(s)),
    ).length,
    rules: rows,
  }),
);
