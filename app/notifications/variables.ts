import type { MessageKind, MessageLocale } from "./kinds";
import { word } from "./words";
import { historyKind } from "../storefront/history-kind";

/** The facts an event recorded with its message (Message.data), per kind; raw values, formatted at rendering. */
export interface PointsEarnedData {
  points: number;
  orderName?: string | null;
}
export interface ExpiryReminderData {
  points: number;
  expiresAt: string;
  days: number;
}
export interface TierChangedData {
  from: string | null;
  to: string | null;
  direction: "up" | "down";
}
export interface RewardData {
  name: string;
  code: string;
  points: number;
  expiresAt: string;
}
export interface BirthdayData {
  points: number;
}
export interface StatementLine {
  occurredAt: string;
  kind: string;
  sourceType: string;
  points: number;
}
export interface StatementData {
  year: number;
  month: number;
  lines: StatementLine[];
  closing: number;
}
export interface ProgramChangeData {
  effectiveAt: string;
  lines: Record<MessageLocale, string[]>;
}

export interface MessageContext {
  locale: MessageLocale;
  timezone: string;
  shop: { name: string; url: string };
  member: { firstName: string | null; lastName: string | null; points: number; tier: string | null };
}

export type MessageVariables = Record<string, unknown>;

// Formatters are costly to build and a reminder run formats for every member: one per language and time zone.
const numberFormats = new Map<MessageLocale, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function points(value: number, locale: MessageLocale): string {
  let format = numberFormats.get(locale);
  if (!format) numberFormats.set(locale, (format = new Intl.NumberFormat(locale === "ja" ? "ja-JP" : "en-GB")));
  return format.format(value);
}

function signedPoints(value: number, locale: MessageLocale): string {
  return `${value > 0 ? "+" : ""}${points(value, locale)}`;
}

export function formatDate(iso: string, locale: MessageLocale, timezone: string): string {
  const key = `${locale}|${timezone}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale === "ja" ? "ja-JP" : "en-GB", {
      year: "numeric",
      month: "long",
      day: "numeric",
      timeZone: timezone,
    });
    dateFormats.set(key, format);
  }
  return format.format(new Date(iso));
}

function memberName(context: MessageContext): string {
  const { firstName, lastName } = context.member;
  // Japanese letters address the family name first ("山田 花子 様"); English greets by the given name.
  if (context.locale === "ja") return [lastName, firstName].filter(Boolean).join(" ") || "お客";
  return firstName || lastName || "there";
}

function statementVariables(data: StatementData, locale: MessageLocale, timezone: string) {
  const monthName = new Intl.DateTimeFormat("en-GB", { month: "long", timeZone: "UTC" }).format(
    new Date(Date.UTC(data.year, data.month - 1, 1)),
  );
  const lines = data.lines.flatMap((line) => {
    const kind = historyKind(line.kind, line.sourceType);
    if (!kind) return [];
    return [
      {
        date: formatDate(line.occurredAt, locale, timezone),
        description: word(locale, "entry", kind),
        points: signedPoints(line.points, locale),
      },
    ];
  });
  const earned = data.lines.filter((line) => line.points > 0).reduce((sum, line) => sum + line.points, 0);
  const spent = data.lines.filter((line) => line.points < 0).reduce((sum, line) => sum - line.points, 0);
  return {
    month: word(locale, "statement", "month", {
      year: String(data.year),
      month: String(data.month),
      month_name: monthName,
    }),
    lines,
    earned: points(earned, locale),
    spent: points(spent, locale),
    closing: points(data.closing, locale),
  };
}

/** What a template may name for one message: the shop, the member (as they are now) and the event's facts. */
export function messageVariables(kind: MessageKind, data: unknown, context: MessageContext): MessageVariables {
  const { locale, timezone } = context;
  const base = {
    shop: context.shop,
    member: {
      name: memberName(context),
      first_name: context.member.firstName ?? "",
      last_name: context.member.lastName ?? "",
      points: points(context.member.points, locale),
      tier: context.member.tier ?? "",
    },
  };
  switch (kind) {
    case "points_earned": {
      const earned = data as PointsEarnedData;
      return { ...base, points: points(earned.points, locale), order_name: earned.orderName ?? "" };
    }
    case "birthday":
      return { ...base, points: points((data as BirthdayData).points, locale) };
    case "expiry_reminder": {
      const expiring = data as ExpiryReminderData;
      return {
        ...base,
        expiring: {
          points: points(expiring.points, locale),
          // A lot expires at the first instant after its last day: the member is told the last day they can use it.
          date: formatDate(new Date(new Date(expiring.expiresAt).getTime() - 1).toISOString(), locale, timezone),
          days: String(expiring.days),
        },
      };
    }
    case "tier_changed": {
      const tier = data as TierChangedData;
      return { ...base, tier: { from: tier.from ?? "", to: tier.to ?? "", direction: tier.direction } };
    }
    case "reward_issued":
    case "reward_expiring": {
      const reward = data as RewardData;
      return {
        ...base,
        reward: {
          name: reward.name,
          code: reward.code,
          points: points(reward.points, locale),
          expires_on: formatDate(reward.expiresAt, locale, timezone),
        },
      };
    }
    case "monthly_statement":
    case "statement":
      return { ...base, statement: statementVariables(data as StatementData, locale, timezone) };
    case "program_change": {
      const change = data as ProgramChangeData;
      return {
        ...base,
        change: { date: formatDate(change.effectiveAt, locale, timezone), lines: change.lines[locale] ?? [] },
      };
    }
  }
}

/** Example facts for each kind: the preview without a chosen member, and the check that a template names only these. */
export function sampleData(kind: MessageKind): unknown {
  const in30Days = new Date(Date.now() + 30 * 86_400_000).toISOString();
  switch (kind) {
    case "points_earned":
      return { points: 120, orderName: "#1001" } satisfies PointsEarnedData;
    case "birthday":
      return { points: 300 } satisfies BirthdayData;
    case "expiry_reminder":
      return { points: 500, expiresAt: in30Days, days: 30 } satisfies ExpiryReminderData;
    case "tier_changed":
      return { from: "Silver", to: "Gold", direction: "up" } satisfies TierChangedData;
    case "reward_issued":
    case "reward_expiring":
      return { name: "¥500 off", code: "TSU-7K3M-Q9XA", points: 500, expiresAt: in30Days } satisfies RewardData;
    case "monthly_statement":
    case "statement":
      return {
        year: 2026,
        month: 10,
        lines: [
          { occurredAt: "2026-10-03T03:00:00Z", kind: "earn", sourceType: "order", points: 120 },
          { occurredAt: "2026-10-20T03:00:00Z", kind: "redeem", sourceType: "reward", points: -500 },
        ],
        closing: 1_240,
      } satisfies StatementData;
    case "program_change":
      return {
        effectiveAt: new Date().toISOString(),
        lines: { ja: ["ポイント付与率: 1% → 2%"], en: ["Points earned: 1% → 2%"] },
      } satisfies ProgramChangeData;
  }
}

export function sampleContext(locale: MessageLocale): MessageContext {
  return {
    locale,
    timezone: "Asia/Tokyo",
    shop: { name: "Tsumiki Shop", url: "https://example.myshopify.com" },
    member: {
      firstName: locale === "ja" ? "花子" : "Hanako",
      lastName: locale === "ja" ? "山田" : "Yamada",
      points: 1_240,
      tier: "Gold",
    },
  };
}

export function sampleVariables(kind: MessageKind, locale: MessageLocale): MessageVariables {
  return messageVariables(kind, sampleData(kind), sampleContext(locale));
}
