import { z } from "zod";
import { MESSAGE_KINDS, type MessageKind, type MessageLocale } from "./kinds";

const hour = z.number().int().min(0).max(23);

const kindSwitches = z.object(
  Object.fromEntries(MESSAGE_KINDS.map((kind) => [kind, z.boolean()])) as Record<MessageKind, z.ZodBoolean>,
);

export const notificationSettingsSchema = z
  .object({
    enabled: kindSwitches,
    // Days before a lot's expiry that a reminder goes out: one reminder per offset and expiry date.
    reminderDays: z.array(z.number().int().min(1).max(365)).min(1).max(5),
    rewardExpiringDays: z.number().int().min(1).max(60),
    senderName: z.string().trim().max(100),
    senderEmail: z.union([z.literal(""), z.email()]),
    // 特定電子メール法 asks for the sender's postal address and a contact for opting out in every marketing email.
    contactAddress: z.string().trim().max(300),
    contactEmail: z.union([z.literal(""), z.email()]),
    // No marketing message is delivered between these shop-local hours (start inclusive, end exclusive).
    quietHours: z.object({ start: hour, end: hour }).nullable(),
    // At most this many marketing messages per member in any 24 hours; the rest wait.
    dailyCap: z.number().int().min(1).max(20),
    defaultLocale: z.enum(["ja", "en"]),
    flow: z.boolean(),
  })
  .refine((value) => new Set(value.reminderDays).size === value.reminderDays.length, {
    path: ["reminderDays"],
    message: "Each reminder day may appear once",
  });

export type NotificationSettings = z.infer<typeof notificationSettingsSchema>;

/**
 * Defaults: every message on except the monthly statement (opt-in by the merchant, it is the most mail),
 * reminders 30 and 7 days before (a month to plan a purchase, a week as the last call), no mail from 21:00 to
 * 09:00, two marketing messages a day at most.
 */
export function defaultNotificationSettings(locale: MessageLocale = "ja"): NotificationSettings {
  const enabled = Object.fromEntries(MESSAGE_KINDS.map((kind) => [kind, kind !== "monthly_statement"])) as Record<
    MessageKind,
    boolean
  >;
  return {
    enabled,
    reminderDays: [30, 7],
    rewardExpiringDays: 3,
    senderName: "",
    senderEmail: "",
    contactAddress: "",
    contactEmail: "",
    quietHours: { start: 21, end: 9 },
    dailyCap: 2,
    defaultLocale: locale,
    flow: true,
  };
}

/** A shop's messages default to Japanese in yen shops, English elsewhere, until the merchant chooses. */
export function shopDefaultLocale(currency: string): MessageLocale {
  return currency === "JPY" ? "ja" : "en";
}

/** Stored settings over the defaults: a setting added later takes its default until the merchant saves. */
export function withNotificationDefaults(stored: unknown, locale: MessageLocale = "ja"): NotificationSettings {
  const defaults = defaultNotificationSettings(locale);
  if (!stored || typeof stored !== "object") return defaults;
  const value = stored as Partial<NotificationSettings>;
  const merged = { ...defaults, ...value, enabled: { ...defaults.enabled, ...(value.enabled ?? {}) } };
  const parsed = notificationSettingsSchema.safeParse(merged);
  return parsed.success ? parsed.data : defaults;
}
