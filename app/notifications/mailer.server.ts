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
    globalThis.tsumikiMailer = { url, transport: createMailer(url, env) };
  }
  return globalThis.tsumikiMailer.transport as unknown as Mailer;
}

/**
 * DKIM signing when DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY (PEM, "\n" for line breaks) are set: RFC 8058's
 * one-click unsubscribe only counts when a DKIM signature covers List-Unsubscribe and List-Unsubscribe-Post, and
 * nodemailer's default signed headers include both. Unset: the SMTP relay is expected to sign.
 */
export function dkimFromEnv(env: Record<string, string | undefined>) {
  const domainName = env.DKIM_DOMAIN?.trim();
  const keySelector = env.DKIM_SELECTOR?.trim();
  const privateKey = env.DKIM_PRIVATE_KEY?.replace(/\\n/g, "\n").trim();
  return domainName && keySelector && privateKey ? { domainName, keySelector, privateKey } : undefined;
}

export function createMailer(url: string, env: Record<string, string | undefined> = process.env): Transporter {
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
    dkim: dkimFromEnv(env),
  });
}

/** The address messages come from when a shop has not set its own (MAIL_FROM), required to send anything. */
export function defaultFromAddress(env: Record<string, string | undefined> = process.env): string | null {
  return env.MAIL_FROM?.trim() || null;
}
