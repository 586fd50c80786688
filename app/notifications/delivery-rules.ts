import { localDate, offsetMinutes, startOfLocalDay, addDays } from "../shared/calendar";
import { isMarketing, type MessageKind } from "./kinds";
import type { NotificationSettings } from "./settings";

export interface Recipient {
  email: string | null;
  redactedAt: Date | null;
  leftAt: Date | null;
  emailUnsubscribedAt: Date | null;
  // Shopify's email marketing state, and the member's own choice of program news in their customer account.
  emailMarketingState: string | null;
  pointsNewsEmails: boolean;
}

export type Decision =
  { action: "send" } | { action: "skip"; reason: string } | { action: "wait"; until: Date; reason: string };

const DAY_MS = 86_400_000;

/** Whether the member agreed to marketing email: Shopify's consent, or program news chosen in their account. */
export function marketingAllowed(recipient: Recipient): boolean {
  if (recipient.emailUnsubscribedAt) return false;
  return recipient.emailMarketingState === "SUBSCRIBED" || recipient.pointsNewsEmails;
}

/** The end of the quiet hours `now` falls in (shop-local), or null outside them. */
export function quietUntil(now: Date, timezone: string, quiet: NotificationSettings["quietHours"]): Date | null {
  if (!quiet || quiet.start === quiet.end) return null;
  const hour = Math.floor(((now.getTime() / 60_000 + offsetMinutes(now, timezone)) / 60) % 24);
  const inside =
    quiet.start < quiet.end ? hour >= quiet.start && hour < quiet.end : hour >= quiet.start || hour < quiet.end;
  if (!inside) return null;
  const today = localDate(now, timezone);
  const endToday = new Date(startOfLocalDay(today, timezone).getTime() + quiet.end * 3_600_000);
  return endToday > now
    ? endToday
    : new Date(startOfLocalDay(addDays(today, 1), timezone).getTime() + quiet.end * 3_600_000);
}

/**
 * Whether a message goes now, later, or never. Transactional messages go to any member with an address; marketing
 * ones need consent, wait out the shop's quiet hours and keep to the member's daily cap (`recentMarketing`: when
 * the member's marketing messages of the last 24 hours were sent). A message about something already over (an
 * expiry that has passed) is dropped rather than sent late.
 */
export function decideDelivery(input: {
  kind: MessageKind;
  recipient: Recipient;
  settings: NotificationSettings;
  timezone: string;
  now: Date;
  recentMarketing: Date[];
  staleAt: Date | null;
}): Decision {
  const { kind, recipient, settings, now } = input;
  if (!settings.enabled[kind]) return { action: "skip", reason: "turned off" };
  if (recipient.redactedAt) return { action: "skip", reason: "customer redacted" };
  if (!recipient.email) return { action: "skip", reason: "no email address" };
  if (input.staleAt && input.staleAt <= now) return { action: "skip", reason: "too late: the date has passed" };
  if (!isMarketing(kind)) return { action: "send" };
  if (recipient.leftAt) return { action: "skip", reason: "left the program" };
  if (recipient.emailUnsubscribedAt) return { action: "skip", reason: "unsubscribed" };
  if (!marketingAllowed(recipient)) return { action: "skip", reason: "no marketing consent" };
  const quiet = quietUntil(now, input.timezone, settings.quietHours);
  if (quiet) return { action: "wait", until: quiet, reason: "quiet hours" };
  const recent = input.recentMarketing
    .filter((at) => at.getTime() > now.getTime() - DAY_MS)
    .sort((a, b) => a.getTime() - b.getTime());
  if (recent.length >= settings.dailyCap) {
    const until = new Date(recent[recent.length - settings.dailyCap].getTime() + DAY_MS);
    return { action: "wait", until, reason: "daily limit" };
  }
  return { action: "send" };
}
