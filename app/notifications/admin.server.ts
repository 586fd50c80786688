import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Tx } from "../db/transaction.server";
import type { Prisma, PrismaClient, Shop } from "../generated/prisma/client";
import { searchMembers, type MemberRow } from "../members/search.server";
import { buildEmail, messageIdFor, type MessageMember } from "./compose.server";
import { loadShopMessaging, senderOf, shopName, templateFor, type ShopMessaging } from "./context.server";
import type { Sender } from "./email";
import { isMessageKind, MESSAGE_KINDS, MESSAGE_LOCALES, type MessageKind, type MessageLocale } from "./kinds";
import { mailerFromEnv, type Mailer } from "./mailer.server";
import { retryFailedMessages } from "./sender.server";
import { notificationSettingsSchema, type NotificationSettings } from "./settings";
import { checkTemplate, type MessageTemplateText, type TemplateProblem } from "./templates";
import { sampleContext, sampleData, sampleVariables } from "./variables";
import { defaultTemplate } from "./words";

type Db = Tx | PrismaClient;

export const MESSAGE_STATUSES = ["pending", "sending", "sent", "skipped", "failed"] as const;
export type MessageStatusName = (typeof MESSAGE_STATUSES)[number];

export interface TemplateView {
  kind: MessageKind;
  locale: MessageLocale;
  subject: string;
  body: string;
  /** The merchant's own template (false: the default in app/notifications/locales). */
  customised: boolean;
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface FailedMessage {
  id: string;
  kind: string;
  channel: string;
  createdAt: string;
  attempts: number;
  recipient: string | null;
  subject: string | null;
  lastError: string | null;
  member: { id: string; customerId: string; name: string; email: string | null } | null;
}

export interface NotificationsPage {
  settings: NotificationSettings;
  templates: TemplateView[];
  /** The names each kind's templates may use, as Liquid writes them ("member.name", "statement.lines[].date"). */
  variables: Record<MessageKind, string[]>;
  /** Messages recorded in the last 30 days, by status. */
  counts: Record<MessageStatusName, number>;
  failed: FailedMessage[];
  smtpConfigured: boolean;
  /** Who messages come from now (the shop's address, else MAIL_FROM); null when nothing can be sent. */
  sender: Sender | null;
}

const memberName = (member: { firstName: string | null; lastName: string | null }) =>
  [member.lastName, member.firstName].filter(Boolean).join(" ");

/** The variable paths of one kind, from its sample: objects by their keys, lists by their items' keys. */
export function variableNames(kind: MessageKind): string[] {
  const names: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) {
      const item: unknown = value[0];
      if (item && typeof item === "object") walk(item, `${path}[]`);
      else names.push(path);
    } else if (value && typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) walk(inner, path ? `${path}.${key}` : key);
    } else names.push(path);
  };
  walk(sampleVariables(kind, "en"), "");
  return names;
}

/** Everything the Notifications page shows, read in one go. */
export async function notificationsPage(
  db: Db,
  shop: Shop,
  env: Record<string, string | undefined> = process.env,
  now = new Date(),
): Promise<NotificationsPage> {
  const since = new Date(now.getTime() - 30 * 86_400_000);
  const [messaging, stored, grouped, failed] = await Promise.all([
    loadShopMessaging(db, shop),
    db.messageTemplate.findMany({ where: { shopId: shop.id } }),
    db.message.groupBy({
      by: ["status"],
      where: { shopId: shop.id, createdAt: { gte: since } },
      _count: { _all: true },
    }),
    db.message.findMany({
      where: { shopId: shop.id, status: "failed" },
      orderBy: { createdAt: "desc" },
      take: 50,
      include: { member: { select: { id: true, customerId: true, firstName: true, lastName: true, email: true } } },
    }),
  ]);
  const custom = new Map(stored.map((row) => [`${row.kind}:${row.locale}`, row]));
  const counts = Object.fromEntries(MESSAGE_STATUSES.map((status) => [status, 0])) as Record<MessageStatusName, number>;
  for (const row of grouped) counts[row.status as MessageStatusName] = row._count._all;
  return {
    settings: messaging.settings,
    templates: MESSAGE_KINDS.flatMap((kind) =>
      MESSAGE_LOCALES.map((locale) => {
        const row = custom.get(`${kind}:${locale}`);
        const text = templateFor(messaging, kind, locale);
        return {
          kind,
          locale,
          subject: text.subject,
          body: text.body,
          customised: Boolean(row),
          updatedAt: row?.updatedAt.toISOString() ?? null,
          updatedBy: row?.updatedBy ?? null,
        };
      }),
    ),
    variables: Object.fromEntries(MESSAGE_KINDS.map((kind) => [kind, variableNames(kind)])) as Record<
      MessageKind,
      string[]
    >,
    counts,
    failed: failed.map((message) => ({
      id: message.id,
      kind: message.kind,
      channel: message.channel,
      createdAt: message.createdAt.toISOString(),
      attempts: message.attempts,
      recipient: message.recipient,
      subject: message.subject,
      lastError: message.lastError,
      member: message.member
        ? {
            id: message.member.id,
            customerId: message.member.customerId,
            name: memberName(message.member),
            email: message.member.email,
          }
        : null,
    })),
    smtpConfigured: mailerFromEnv(env) !== null,
    sender: senderOf(messaging, env),
  };
}

export type FieldErrors = Record<string, string>;

function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join(".") || "settings";
    errors[path] ??= issue.message;
  }
  return errors;
}

async function audit(
  tx: Tx,
  shop: Pick<Shop, "id">,
  actor: string,
  action: string,
  subject: string,
  before: unknown,
  after: unknown,
) {
  await tx.auditLog.create({
    data: {
      shopId: shop.id,
      actor,
      action,
      subject,
      before: (before ?? undefined) as Prisma.InputJsonValue | undefined,
      after: (after ?? undefined) as Prisma.InputJsonValue | undefined,
    },
  });
}

/** Saves the shop's notification settings; refused input writes nothing and names each wrong field. */
export async function saveNotificationSettings(
  tx: Tx,
  shop: Shop,
  input: unknown,
  actor: string,
): Promise<{ ok: true } | { errors: FieldErrors }> {
  const parsed = notificationSettingsSchema.safeParse(input);
  if (!parsed.success) return { errors: fieldErrors(parsed.error) };
  // Serialises concurrent saves of one shop, so the audit's "before" is what the save replaced.
  await tx.$queryRaw`SELECT id FROM "Shop" WHERE id = ${shop.id} FOR UPDATE`;
  const before = (await loadShopMessaging(tx, shop)).settings;
  const settings = parsed.data as unknown as Prisma.InputJsonValue;
  await tx.notificationSettings.upsert({
    where: { shopId: shop.id },
    create: { shopId: shop.id, settings },
    update: { settings },
  });
  await audit(tx, shop, actor, "notifications.saved", "notification settings", before, parsed.data);
  return { ok: true };
}

/** A kind and language as the page sends them, or null for anything else. */
export function parseTemplateKey(value: { kind?: unknown; locale?: unknown }): {
  kind: MessageKind;
  locale: MessageLocale;
} | null {
  const { kind, locale } = value;
  if (typeof kind !== "string" || !isMessageKind(kind)) return null;
  if (locale !== "ja" && locale !== "en") return null;
  return { kind, locale };
}

/** Subject and body as the page sends them, or null. */
export function parseTemplateText(value: { subject?: unknown; body?: unknown }): MessageTemplateText | null {
  const { subject, body } = value;
  if (typeof subject !== "string" || typeof body !== "string") return null;
  if (subject.length > 1_000 || body.length > 100_000) return null;
  return { subject, body };
}

/**
 * Saves a merchant's template for one kind and language. A template that does not parse, or names a variable its
 * kind does not offer, is refused with the line and reason, and nothing is written: the old template stays.
 */
export async function saveTemplate(
  tx: Tx,
  shop: Pick<Shop, "id">,
  kind: MessageKind,
  locale: MessageLocale,
  template: MessageTemplateText,
  actor: string,
): Promise<{ ok: true } | { problem: TemplateProblem }> {
  const problem = checkTemplate(kind, template);
  if (problem) return { problem };
  const where = { shopId_kind_locale: { shopId: shop.id, kind, locale } };
  const before = await tx.messageTemplate.findUnique({ where });
  const text = { subject: template.subject, body: template.body };
  await tx.messageTemplate.upsert({
    where,
    create: { shopId: shop.id, kind, locale, ...text, updatedBy: actor },
    update: { ...text, updatedBy: actor },
  });
  await audit(
    tx,
    shop,
    actor,
    "notifications.template.saved",
    `${kind} (${locale})`,
    before ? { subject: before.subject, body: before.body } : null,
    text,
  );
  return { ok: true };
}

/** Goes back to the default template for one kind and language (the merchant's one is deleted, and audited). */
export async function resetTemplate(
  tx: Tx,
  shop: Pick<Shop, "id">,
  kind: MessageKind,
  locale: MessageLocale,
  actor: string,
): Promise<{ ok: true; template: MessageTemplateText }> {
  const where = { shopId_kind_locale: { shopId: shop.id, kind, locale } };
  const before = await tx.messageTemplate.findUnique({ where });
  if (before) {
    await tx.messageTemplate.delete({ where });
    await audit(
      tx,
      shop,
      actor,
      "notifications.template.reset",
      `${kind} (${locale})`,
      { subject: before.subject, body: before.body },
      null,
    );
  }
  return { ok: true, template: defaultTemplate(kind, locale) };
}

export interface MessageDraft {
  kind: MessageKind;
  locale: MessageLocale;
  subject: string;
  body: string;
  memberId?: string | null;
}

export interface RenderedPreview {
  subject: string;
  html: string;
  text: string;
  /** Whose facts the preview shows: the chosen member, or the sample member when none was chosen. */
  member: { id: string | null; name: string };
}

// The member id the preview's and test's unsubscribe link names: never a real member's, so a staff member who
// clicks it in a test email does not unsubscribe the customer they previewed.
const PREVIEW_MEMBER_ID = "preview";
const SAMPLE_TIER = "__sample";

/** The member a preview renders for (always in the editor's language), and the shop's messaging to render it with. */
async function previewSubject(
  db: Db,
  shop: Shop,
  draft: MessageDraft,
): Promise<{ messaging: ShopMessaging; member: MessageMember; name: string; id: string | null } | null> {
  const messaging = await loadShopMessaging(db, shop);
  if (draft.memberId) {
    const member = await db.member.findFirst({ where: { id: draft.memberId, shopId: shop.id, redactedAt: null } });
    if (!member) return null;
    return {
      messaging,
      member: { ...member, id: PREVIEW_MEMBER_ID, locale: draft.locale },
      name: memberName(member) || member.email || `#${member.customerId}`,
      id: member.id,
    };
  }
  const sample = sampleContext(draft.locale).member;
  return {
    messaging: { ...messaging, tierNames: new Map([...messaging.tierNames, [SAMPLE_TIER, sample.tier ?? ""]]) },
    member: {
      id: PREVIEW_MEMBER_ID,
      email: null,
      firstName: sample.firstName,
      lastName: sample.lastName,
      pointsAvailable: sample.points,
      tierId: SAMPLE_TIER,
      locale: draft.locale,
    },
    name: memberName(sample),
    id: null,
  };
}

/** The footer's sender in a preview: the real one, or the shop's name when no address is set yet. */
function previewSender(messaging: ShopMessaging): Sender {
  return (
    senderOf(messaging) ?? {
      name: shopName(messaging.shop, messaging.settings),
      email: "",
      contactAddress: messaging.settings.contactAddress,
      contactEmail: messaging.settings.contactEmail,
    }
  );
}

function renderProblem(error: unknown): TemplateProblem {
  const reason = error instanceof Error ? error.message : String(error);
  return { field: "body", line: 1, column: 1, code: "syntax", reason };
}

/**
 * A draft template rendered as the member would receive it: their name, balance and tier, with the event's facts
 * from the kind's sample (an order, a lot, a code…). The sample member when none is chosen.
 */
export async function previewMessage(
  db: Db,
  shop: Shop,
  draft: MessageDraft,
): Promise<RenderedPreview | { problem: TemplateProblem } | { notFound: true }> {
  const template = { subject: draft.subject, body: draft.body };
  const problem = checkTemplate(draft.kind, template);
  if (problem) return { problem };
  const subject = await previewSubject(db, shop, draft);
  if (!subject) return { notFound: true };
  try {
    const email = buildEmail({
      messaging: subject.messaging,
      member: subject.member,
      kind: draft.kind,
      data: sampleData(draft.kind),
      messageId: messageIdFor(PREVIEW_MEMBER_ID),
      sender: previewSender(subject.messaging),
      template,
    });
    return {
      subject: email.subject,
      html: email.html,
      text: email.text,
      member: { id: subject.id, name: subject.name },
    };
  } catch (error) {
    return { problem: renderProblem(error) };
  }
}

export type TestSendResult =
  | { ok: true; to: string }
  | { problem: TemplateProblem }
  | { refused: "badAddress" | "noMailer" | "noSender" | "notFound" }
  | { smtpError: string };

const emailAddress = z.email();

/**
 * Sends a draft straight to a staff address through the mailer (not the outbox: it is not a member's message and
 * is never retried), rendered as the preview is. Answers the SMTP server's error text when it refuses.
 */
export async function sendTestMessage(
  db: Db,
  shop: Shop,
  mailer: Mailer | null,
  draft: MessageDraft & { to: string },
  env: Record<string, string | undefined> = process.env,
): Promise<TestSendResult> {
  const to = draft.to.trim();
  if (!emailAddress.safeParse(to).success) return { refused: "badAddress" };
  const template = { subject: draft.subject, body: draft.body };
  const problem = checkTemplate(draft.kind, template);
  if (problem) return { problem };
  if (!mailer) return { refused: "noMailer" };
  const subject = await previewSubject(db, shop, draft);
  if (!subject) return { refused: "notFound" };
  const sender = senderOf(subject.messaging, env);
  if (!sender) return { refused: "noSender" };
  let email;
  try {
    email = buildEmail({
      messaging: subject.messaging,
      member: subject.member,
      kind: draft.kind,
      data: sampleData(draft.kind),
      messageId: messageIdFor(`test-${randomUUID()}`),
      sender,
      to,
      template,
    });
  } catch (error) {
    return { problem: renderProblem(error) };
  }
  try {
    await mailer.sendMail(email);
    return { ok: true, to };
  } catch (error) {
    return { smtpError: (error instanceof Error ? error.message : String(error)).slice(0, 500) };
  }
}

/** Failed messages go again at the next delivery (one, or all of the shop's); audited with how many. */
export async function retryMessages(
  prisma: PrismaClient,
  shop: Shop,
  messageId: string | null,
  actor: string,
): Promise<number> {
  const count = await retryFailedMessages(prisma, shop, messageId ?? undefined);
  if (count > 0) {
    await prisma.$transaction((tx) =>
      audit(
        tx,
        shop,
        actor,
        "notifications.retried",
        messageId ? `message ${messageId}` : "all failed messages",
        null,
        {
          count,
        },
      ),
    );
  }
  return count;
}

export interface MemberMessage {
  id: string;
  kind: string;
  channel: string;
  status: string;
  subject: string | null;
  recipient: string | null;
  attempts: number;
  createdAt: string;
  sentAt: string | null;
  lastError: string | null;
}

/** The messages recorded for one member of a shop, newest first: the passbook's Messages card. */
export async function memberMessages(db: Db, shopId: string, memberId: string, limit = 50): Promise<MemberMessage[]> {
  const rows = await db.message.findMany({
    where: { shopId, memberId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
  });
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    channel: row.channel,
    status: row.status,
    subject: row.subject,
    recipient: row.recipient,
    attempts: row.attempts,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
    lastError: row.lastError,
  }));
}

/** Members to preview a message for: the customers page's search, first ten matches. */
export async function findPreviewMembers(tx: Tx, shopId: string, search: string): Promise<MemberRow[]> {
  const page = await searchMembers(tx, shopId, {
    search: search.slice(0, 200),
    tier: null,
    minBalance: null,
    maxBalance: null,
    activeWithinDays: null,
    sort: "name",
    direction: "asc",
    page: 1,
    pageSize: 10,
  });
  return page.rows;
}
