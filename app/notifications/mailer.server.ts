import nodemailer from "nodemailer";
import type { Transporter } from "nodemailer";
import type { EmailMessage } from "./email";

/** What the sender needs of a mail transport: nodemailer's, or any with the same sendMail. */
export interface Mailer {
  sendMail(message: EmailMessage): Promise<{ messageId?: string; accepted?: unknown[]; rejected?: unknown[] }>;
}

declare global {
  var tsumikiMailer: { url: string; transport: Transporter } | undefined;
}

/**
 * The SMTP transport for SMTP_URL (smtp://user:pass@host:587, smtps://… for TLS from the start), pooled and kept
 * for the process; null when no SMTP server is configured, and email messages then wait in the outbox.
 */
export function mailerFromEnv(env: Record<string, string | undefined> = process.env): Mailer | null {
  const url = env.SMTP_URL?.trim();
  if (!url) return null;
  if (globalThis.tsumikiMailer?.url !== url) {
    globalThis.tsumikiMailer?.transport.close();
    globalThis.tsumikiMailer = { url, transport: createMailer(url) };
  }
  return globalThis.tsumikiMailer.transport as unknown as Mailer;
}

export function createMailer(url: string): Transporter {
  const parsed = new URL(url);
  const insecure = parsed.searchParams.get("tls") === "off";
  return nodemailer.createTransport({
    host: parsed.hostname,
    port: Number(parsed.port) || (parsed.protocol === "smtps:" ? 465 : 587),
    secure: parsed.protocol === "smtps:",
    auth: parsed.username
      ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) }
      : undefined,
    // A local relay without TLS (the local SMTP server of `npm run local` and the tests) says tls=off.
    ignoreTLS: insecure,
    pool: true,
    maxConnections: 8,
  });
}

/** The address messages come from when a shop has not set its own (MAIL_FROM), required to send anything. */
export function defaultFromAddress(env: Record<string, string | undefined> = process.env): string | null {
  return env.MAIL_FROM?.trim() || null;
}
