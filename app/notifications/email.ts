import type { MessageLocale } from "./kinds";
import type { RenderedMessage } from "./templates";
import { word } from "./words";
import { escapeHtml } from "../shared/html";

export interface Sender {
  name: string;
  email: string;
  contactAddress: string;
  contactEmail: string;
}

export interface EmailParts {
  messageId: string;
  to: string;
  locale: MessageLocale;
  sender: Sender;
  rendered: RenderedMessage;
  // Marketing messages carry the one-click unsubscribe (RFC 8058) and say why the member receives them.
  unsubscribeUrl: string | null;
}

/** What nodemailer sends: the fields of its message object we use. */
export interface EmailMessage {
  messageId: string;
  from: { name: string; address: string };
  to: string;
  replyTo?: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
}

/** A plain-text rendering of the HTML body, for mail clients that show text and for spam filters that want both. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, "")
    .replace(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, (_, href: string, label: string) => `${label} (${href})`)
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<li[^>]*>/gi, "・")
    .replace(/<\/(td|th)>/gi, "\t")
    .replace(/<\/(p|div|h\d|li|tr|table|ul|ol)>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/**
 * The footer every message ends with: who sends it, their address and a contact (特定電子メール法 requires the
 * sender's name, address and a way to opt out in marketing email), and the unsubscribe link where it applies.
 */
function footerLines(parts: EmailParts): Array<{ text: string; href?: string }> {
  const { locale, sender } = parts;
  const lines: Array<{ text: string; href?: string }> = [
    { text: word(locale, "footer", "sender", { name: sender.name }) },
  ];
  if (sender.contactAddress)
    lines.push({ text: word(locale, "footer", "address", { address: sender.contactAddress }) });
  if (sender.contactEmail) lines.push({ text: word(locale, "footer", "contact", { email: sender.contactEmail }) });
  if (parts.unsubscribeUrl) {
    lines.push({ text: word(locale, "footer", "reason", { name: sender.name }) });
    lines.push({ text: word(locale, "footer", "unsubscribe"), href: parts.unsubscribeUrl });
  }
  return lines;
}

export function composeEmail(parts: EmailParts): EmailMessage {
  const footer = footerLines(parts);
  const footerHtml = footer
    .map((line) =>
      line.href ? `<a href="${escapeHtml(line.href)}">${escapeHtml(line.text)}</a>` : escapeHtml(line.text),
    )
    .join("<br>");
  const html =
    `<!doctype html><html lang="${parts.locale}"><head><meta charset="utf-8"><title>${escapeHtml(parts.rendered.subject)}</title></head>` +
    `<body style="font-family:sans-serif;line-height:1.6;color:#202223">${parts.rendered.html}` +
    `<hr style="border:none;border-top:1px solid #ddd;margin:24px 0"><p style="font-size:12px;color:#6d7175">${footerHtml}</p></body></html>`;
  const text = `${htmlToText(parts.rendered.html)}\n\n--\n${footer
    .map((line) => (line.href ? `${line.text}: ${line.href}` : line.text))
    .join("\n")}\n`;
  const message: EmailMessage = {
    messageId: parts.messageId,
    from: { name: parts.sender.name, address: parts.sender.email },
    to: parts.to,
    subject: parts.rendered.subject,
    html,
    text,
    headers: { "Content-Language": parts.locale },
  };
  if (parts.sender.contactEmail) message.replyTo = parts.sender.contactEmail;
  if (parts.unsubscribeUrl) {
    // RFC 8058: the HTTPS URI alone (no comment, which some receivers reject) and the one-click POST marker.
    message.headers["List-Unsubscribe"] = `<${parts.unsubscribeUrl}>`;
    message.headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
  }
  return message;
}
