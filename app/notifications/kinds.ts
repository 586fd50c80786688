/** Every message the program sends, in the order the Notifications page lists them. */
export const MESSAGE_KINDS = [
  "points_earned",
  "expiry_reminder",
  "tier_changed",
  "reward_issued",
  "reward_expiring",
  "birthday",
  "monthly_statement",
  "program_change",
  "statement",
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export const MESSAGE_LOCALES = ["ja", "en"] as const;
export type MessageLocale = (typeof MESSAGE_LOCALES)[number];

/**
 * Transactional messages are about something the member did or asked for, or a change to the terms they hold
 * points under (Japan's 景品表示法 practice and the program terms expect 制度変更の周知 to reach every holder);
 * the rest are marketing and need the member's consent (特定電子メール法).
 */
const TRANSACTIONAL: ReadonlySet<MessageKind> = new Set(["reward_issued", "program_change", "statement"]);

export function isMarketing(kind: MessageKind): boolean {
  return !TRANSACTIONAL.has(kind);
}

/** The kinds that need consent, for queries over the outbox (the daily cap, an unsubscribe dropping what waits). */
export const MARKETING_KINDS: MessageKind[] = MESSAGE_KINDS.filter(isMarketing);

export function isMessageKind(value: string): value is MessageKind {
  return (MESSAGE_KINDS as readonly string[]).includes(value);
}

/** The member's language for messages: Shopify's customer locale ("ja", "en-US"…), else the shop's default. */
export function messageLocale(memberLocale: string | null | undefined, fallback: MessageLocale): MessageLocale {
  const language = memberLocale?.toLowerCase().split(/[-_]/)[0];
  return language === "ja" || language === "en" ? language : fallback;
}
