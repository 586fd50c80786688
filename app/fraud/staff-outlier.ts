import { baselineOf, logMadFloor, robustZ } from "./robust";
import { DAY_MS, round, type Signal, signal } from "./signals";
import type { Thresholds } from "./thresholds";

export interface Adjustment {
  staffId: string;
  memberId: string;
  at: number;
  /** Signed points. */
  points: number;
}

/**
 * Staff outliers: each staff member's adjustments in the window (how many, and how many points either way) against
 * the other staff's (leave-one-out: with five staff, the suspect's own figure would otherwise widen the MAD it is
 * measured by), as robust z of log(1 + figure). The MAD floor is ×2, so z counts doublings over
 * the median staff member. `staffIds` lists every staff member who may adjust, so one who made none counts as 0.
 */
export function staffOutliers(
  adjustments: readonly Adjustment[],
  staffIds: readonly string[],
  now: number,
  t: Thresholds["staffOutlier"],
): Signal[] {
  if (!t.enabled) return [];
  const since = now - t.windowDays * DAY_MS;
  const per = new Map<string, { count: number; points: number; members: Set<string> }>(
    staffIds.map((id) => [id, { count: 0, points: 0, members: new Set<string>() }]),
  );
  for (const a of adjustments) {
    if (a.at <= since || a.at > now) continue;
    const s = per.get(a.staffId) ?? { count: 0, points: 0, members: new Set<string>() };
    s.count += 1;
    s.points += Math.abs(a.points);
    s.members.add(a.memberId);
    per.set(a.staffId, s);
  }
  if (per.size < t.minStaff) return [];
  const all = [...per.entries()];
  const floor = logMadFloor(2);
  const out: Signal[] = [];
  for (const [staffId, s] of all) {
    if (s.count < t.minAdjustments) continue;
    const others = all.filter(([id]) => id !== staffId).map(([, o]) => o);
    const counts = baselineOf(others.map((o) => Math.log1p(o.count)));
    const points = baselineOf(others.map((o) => Math.log1p(o.points)));
    const zCount = robustZ(Math.log1p(s.count), counts.median, counts.mad, floor);
    const zPoints = robustZ(Math.log1p(s.points), points.median, points.mad, floor);
    const z = Math.max(zCount, zPoints);
    if (z < t.minZ) continue;
    const by = zPoints >= zCount ? "points" : "count";
    out.push(
      signal(
        "staff_outlier",
        by,
        z / t.minZ,
        `${s.count} adjustments for ${s.points} points to ${s.members.size} members in ${t.windowDays} days, where the other staff's median is ${Math.round(Math.expm1(counts.median))} for ${Math.round(Math.expm1(points.median))} points (robust z ${round(z, 1)})`,
        {
          figures: {
            adjustments: s.count,
            points: s.points,
            members: s.members.size,
            medianAdjustments: round(Math.expm1(counts.median), 1),
            medianPoints: Math.round(Math.expm1(points.median)),
            zCount: round(zCount),
            zPoints: round(zPoints),
          },
          staffIds: [staffId],
          memberIds: [...s.members].sort(),
        },
      ),
    );
  }
  return out;
}
