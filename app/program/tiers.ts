import { addDays, localDate, startOfLocalDay } from "../shared/calendar";

/** One VIP level. Thresholds are in minor units of spend, or in points, per the program's basis. */
export interface TierLevel {
  id: string;
  name: string;
  threshold: number;
  /** Extra earn percentage for members at this level (25 = ×1.25). */
  earnExtraPercent: number;
  /** Points awarded once when a member first reaches this level. */
  reachBonus: number;
}

export interface TierSettings {
  /** Ordered from the lowest threshold up; an empty list means no tiers. */
  levels: TierLevel[];
  basis: "spend" | "points";
  period: "rolling12" | "calendarYear" | "lifetime";
  downgrade: "never" | "periodEnd" | "grace";
  graceDays: number;
}

export const NO_TIERS: TierSettings = {
  levels: [],
  basis: "spend",
  period: "rolling12",
  downgrade: "periodEnd",
  graceDays: 30,
};

/** The first instant of the qualifying period that contains `now`, or null for lifetime. */
export function qualifyingSince(settings: TierSettings, now: Date, timezone: string): Date | null {
  if (settings.period === "lifetime") return null;
  const today = localDate(now, timezone);
  if (settings.period === "calendarYear") return startOfLocalDay(`${today.slice(0, 4)}-01-01`, timezone);
  const [y, m, d] = today.split("-").map(Number);
  return startOfLocalDay(addDays(`${y - 1}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`, 1), timezone);
}

/** The highest level whose threshold the value reaches, or null. */
export function levelFor(levels: TierLevel[], value: number): TierLevel | null {
  let reached: TierLevel | null = null;
  for (const level of [...levels].sort((a, b) => a.threshold - b.threshold)) {
    if (value >= level.threshold) reached = level;
  }
  return reached;
}

export interface TierState {
  tierId: string | null;
  /** When the member entered the current tier. */
  since: Date | null;
  /** When the member first fell below the current tier's threshold, for the grace policy. */
  belowSince: Date | null;
}

export interface TierDecision {
  tierId: string | null;
  belowSince: Date | null;
  change: { from: string | null; to: string | null; reason: string } | null;
}

const rank = (levels: TierLevel[], id: string | null) =>
  id === null ? -1 : [...levels].sort((a, b) => a.threshold - b.threshold).findIndex((level) => level.id === id);

/**
 * Decides a member's tier from the qualifying value. Upgrades happen at once. Downgrades follow the
 * program's policy: never; at the end of a calendar year (the first evaluation in a new year); or after
 * `graceDays` spent below the threshold.
 */
export function decideTier(
  settings: TierSettings,
  state: TierState,
  value: number,
  now: Date,
  timezone: string,
): TierDecision {
  const earned = levelFor(settings.levels, value);
  const earnedRank = rank(settings.levels, earned?.id ?? null);
  const currentRank = rank(settings.levels, state.tierId);
  const basis = settings.basis === "spend" ? "spend" : "points";
  if (earnedRank > currentRank) {
    return {
      tierId: earned!.id,
      belowSince: null,
      change: { from: state.tierId, to: earned!.id, reason: `reached ${earned!.name} (${basis} ${value})` },
    };
  }
  if (earnedRank === currentRank) return { tierId: state.tierId, belowSince: null, change: null };

  const downgrade = {
    tierId: earned?.id ?? null,
    belowSince: null,
    change: { from: state.tierId, to: earned?.id ?? null, reason: "" },
  };
  switch (settings.downgrade) {
    case "never":
      return { tierId: state.tierId, belowSince: null, change: null };
    case "periodEnd": {
      const yearOfTier = state.since ? localDate(state.since, timezone).slice(0, 4) : null;
      if (yearOfTier !== null && localDate(now, timezone).slice(0, 4) === yearOfTier) {
        return { tierId: state.tierId, belowSince: null, change: null };
      }
      downgrade.change.reason = `period ended below the threshold (${basis} ${value})`;
      return downgrade;
    }
    case "grace": {
      const belowSince = state.belowSince ?? now;
      if (now.getTime() - belowSince.getTime() < settings.graceDays * 24 * 60 * 60 * 1000) {
        return { tierId: state.tierId, belowSince, change: null };
      }
      downgrade.change.reason = `${settings.graceDays} days of grace below the threshold ended (${basis} ${value})`;
      return downgrade;
    }
  }
}

/** The earn boost a member's tier gives. */
export function tierBoost(settings: TierSettings, tierId: string | null): number {
  return settings.levels.find((level) => level.id === tierId)?.earnExtraPercent ?? 0;
}
