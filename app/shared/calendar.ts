/**
 * Shop-local calendar arithmetic with Intl only: a shop's day starts at its local midnight, which moves
 * against UTC when daylight saving starts or ends.
 */

/** The shop-local date (YYYY-MM-DD) of an instant. */
export function localDate(at: Date, timezone: string): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: timezone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(at);
}

/** Minutes the zone is ahead of UTC at an instant (540 for Tokyo, −240 or −300 for New York). */
export function offsetMinutes(at: Date, timezone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  const asUtc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** The instant a shop-local date begins. */
export function startOfLocalDay(date: string, timezone: string): Date {
  const [y, m, d] = date.split("-").map(Number);
  const guess = Date.UTC(y, m - 1, d);
  // Two passes settle the offset even when the guess sits on the other side of a DST change.
  let instant = guess - offsetMinutes(new Date(guess), timezone) * 60_000;
  instant = guess - offsetMinutes(new Date(instant), timezone) * 60_000;
  return new Date(instant);
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * When points earned at `earnedAt` expire after `days` days: at the end of that shop-local day, that is
 * the moment the next local day begins.
 */
export function expiryInstant(earnedAt: Date, days: number, timezone: string): Date {
  return startOfLocalDay(addDays(localDate(earnedAt, timezone), days + 1), timezone);
}

/**
 * A shop-local wall-clock stamp ("2026-12-01T09:00", the campaign format of earning/rules.ts) as an instant.
 * Two passes settle the zone offset even next to a daylight-saving change, as startOfLocalDay does.
 */
export function localStampInstant(stamp: string, timezone: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(stamp);
  if (!match) return null;
  const [, y, m, d, hh, mm] = match.map(Number);
  const guess = Date.UTC(y, m - 1, d, hh, mm);
  if (Number.isNaN(guess)) return null;
  let instant = guess - offsetMinutes(new Date(guess), timezone) * 60_000;
  instant = guess - offsetMinutes(new Date(instant), timezone) * 60_000;
  return new Date(instant);
}
