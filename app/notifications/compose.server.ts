import type { Member } from "../generated/prisma/client";
import { readConfig } from "../config.server";
import { composeEmail, type EmailMessage, type Sender } from "./email";
import { isMarketing, type MessageKind } from "./kinds";
import { messageContext, templateFor, type ShopMessaging } from "./context.server";
import { renderTemplate, type MessageTemplateText } from "./templates";
import { unsubscribeUrl } from "./unsubscribe";
import { messageVariables } from "./variables";

export type MessageMember = Pick<
  Member,
  "id" | "email" | "firstName" | "lastName" | "pointsAvailable" | "tierId" | "locale"
>;

/**
 * One message as the member receives it: their language, the merchant's template (or `template` when previewing
 * an unsaved one), the footer, and for marketing the one-click unsubscribe signed for this member.
 */
export function buildEmail(input: {
  messaging: ShopMessaging;
  member: MessageMember;
  kind: MessageKind;
  data: unknown;
  messageId: string;
  sender: Sender;
  to?: string;
  template?: MessageTemplateText;
}): EmailMessage {
  const { messaging, member, kind } = input;
  const context = messageContext(messaging, member);
  const template = input.template ?? templateFor(messaging, kind, context.locale);
  const rendered = renderTemplate(template, messageVariables(kind, input.data, context));
  const config = readConfig();
  return composeEmail({
    messageId: input.messageId,
    to: input.to ?? member.email ?? "",
    locale: context.locale,
    sender: input.sender,
    rendered,
    unsubscribeUrl: isMarketing(kind) ? unsubscribeUrl(config.appUrl, config.apiSecret, member.id) : null,
  });
}

/** The Message-ID of a message: stable, so a resend after a crash mid-conversation is recognisably the same mail. */
export function messageIdFor(id: string): string {
  return `<${id}@${new URL(readConfig().appUrl).hostname}>`;
}
