import type { Tx } from "../db/transaction.server";
import type { Member, PrismaClient, Shop } from "../generated/prisma/client";
import { withDefaults, type ProgramSettings } from "../program/program";
import { messageLocale, type MessageLocale } from "./kinds";
import { shopDefaultLocale, withNotificationDefaults, type NotificationSettings } from "./settings";
import type { MessageContext } from "./variables";
import type { Sender } from "./email";
import { defaultFromAddress } from "./mailer.server";
import type { MessageTemplateText } from "./templates";
import { defaultTemplate } from "./words";
import type { MessageKind } from "./kinds";

type Db = Tx | PrismaClient;

/** A shop's name for its members: the sender name it set, else its myshopify handle. */
export function shopName(shop: Pick<Shop, "domain">, settings: NotificationSettings): string {
  return settings.senderName || shop.domain.replace(/\.myshopify\.com$/, "");
}

/** A shop's notification settings as saved, over the defaults. */
export async function shopNotificationSettings(db: Db, shop: Pick<Shop, "id" | "currency">) {
  const stored = await db.notificationSettings.findUnique({ where: { shopId: shop.id } });
  return withNotificationDefaults(stored?.settings, shopDefaultLocale(shop.currency));
}

/** Everything the sender needs of one shop, read once per batch. */
export interface ShopMessaging {
  shop: Shop;
  settings: NotificationSettings;
  tierNames: Map<string, string>;
  templates: Map<string, MessageTemplateText>;
}

export async function loadShopMessaging(db: Db, shop: Shop): Promise<ShopMessaging> {
  const [stored, version, templates] = await Promise.all([
    db.notificationSettings.findUnique({ where: { shopId: shop.id } }),
    db.programVersion.findFirst({ where: { shopId: shop.id }, orderBy: { version: "desc" } }),
    db.messageTemplate.findMany({ where: { shopId: shop.id } }),
  ]);
  const program = version ? withDefaults(version.settings as unknown as ProgramSettings) : null;
  return {
    shop,
    settings: withNotificationDefaults(stored?.settings, shopDefaultLocale(shop.currency)),
    tierNames: new Map((program?.tiers.levels ?? []).map((level) => [level.id, level.name])),
    templates: new Map(templates.map((t) => [`${t.kind}:${t.locale}`, { subject: t.subject, body: t.body }])),
  };
}

/** The merchant's template for a kind and language, else the default one. */
export function templateFor(messaging: ShopMessaging, kind: MessageKind, locale: MessageLocale): MessageTemplateText {
  return messaging.templates.get(`${kind}:${locale}`) ?? defaultTemplate(kind, locale);
}

export function messageContext(
  messaging: ShopMessaging,
  member: Pick<Member, "firstName" | "lastName" | "pointsAvailable" | "tierId" | "locale">,
): MessageContext {
  return {
    locale: messageLocale(member.locale, messaging.settings.defaultLocale),
    timezone: messaging.shop.timezone,
    shop: { name: shopName(messaging.shop, messaging.settings), url: `https://${messaging.shop.domain}` },
    member: {
      firstName: member.firstName,
      lastName: member.lastName,
      points: member.pointsAvailable,
      tier: member.tierId ? (messaging.tierNames.get(member.tierId) ?? null) : null,
    },
  };
}

/** Who a shop's messages come from; null when neither the shop nor MAIL_FROM gives an address. */
export function senderOf(
  messaging: ShopMessaging,
  env: Record<string, string | undefined> = process.env,
): Sender | null {
  const email = messaging.settings.senderEmail || defaultFromAddress(env);
  if (!email) return null;
  return {
    name: shopName(messaging.shop, messaging.settings),
    email,
    contactAddress: messaging.settings.contactAddress,
    contactEmail: messaging.settings.contactEmail,
  };
}
