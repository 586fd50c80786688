import { DAY_MS, round, type Signal, signal } from "./signals";
import type { Thresholds } from "./thresholds";

export interface BirthdayBonusCheck {
  memberId: string;
  /** When the bonus is about to be awarded. */
  now: number;
  /** When the member's previous birthday bonus was awarded, if ever. */
  lastBonusAt: number | null;
  /** Changes of the member's birthday (ISO dates, MM-DD or YYYY-MM-DD). */
  changes: readonly { at: number; from: string | null; to: string }[];
}

/**
 * A birthday changed to collect the bonus again: a bonus due within `windowDays` of the last one, with the birthday
 * changed in between. Checked when the bonus is about to be awarded, so that bonus is the one held.
 */
export function birthdayRebonus(check: BirthdayBonusCheck, t: Thresholds["birthday"]): Signal | null {
  if (!t.enabled || check.lastBonusAt === null) return null;
  const last = check.lastBonusAt;
  const sinceLast = (check.now - last) / DAY_MS;
  if (sinceLast >= t.windowDays) return null;
  const changed = check.changes.filter((c) => c.at > last && c.at <= check.now && c.from !== c.to);
  if (changed.length === 0) return null;
  const latest = changed[changed.length - 1];
  return signal(
    "birthday_rebonus",
    "changed_after_bonus",
    1 + (t.windowDays - sinceLast) / t.windowDays,
    `Birthday changed from ${latest.from ?? "unset"} to ${latest.to} ${round((latest.at - last) / DAY_MS, 0)} days after a birthday bonus; another bonus is due ${round(sinceLast, 0)} days after the last`,
    {
      figures: { daysSinceLastBonus: round(sinceLast, 0), changes: changed.length },
      memberIds: [check.memberId],
    },
  );
}
