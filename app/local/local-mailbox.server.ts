import { randomUUID } from "node:crypto";
import type { AddressObject } from "mailparser";
import { escapeHtml } from "../shared/html";
import { isLoopbackAddress } from "./local.server";

/**
 * Local mode's mail server: `npm run local` points SMTP_URL at it, so every message the app sends (reminders,
 * statements, test sends) lands here and /local/mailbox shows it, with no email account and nothing leaving the
 * machine. Loopback only, no TLS, any or no login; messages are kept in memory (newest first, the last 500).
 */

/** One received message as the mailbox shows it: the MIME message as sent, and its parts decoded. */
export interface LocalMail {
  id: string;
  receivedAt: Date;
  /** The SMTP envelope: who the client said the mail is from and to (MAIL FROM, RCPT TO). */
  envelope: { from: string | null; to: string[] };
  from: string;
  to: string;
  subject: string;
  date: Date | null;
  messageId: string | null;
  /** Content-Language, else the HTML's lang attribute. */
  language: string | null;
  html: string | null;
  text: string | null;
  /** The header lines as received (unfolded, still MIME-encoded: what a mail client reads). */
  headers: Array<{ name: string; value: string }>;
  listUnsubscribe: string | null;
  listUnsubscribePost: string | null;
  raw: string;
}

export const MAILBOX_LIMIT = 500;
// Beyond the count, a bound on memory: a few oversized test messages must not keep hundreds of megabytes.
const MAILBOX_BYTES = 64 * 1024 * 1024;
const MESSAGE_BYTES = 10 * 1024 * 1024;

declare global {
  // On globalThis: the server is started by scripts/local.ts, the page is read through Vite's module graph.
  var tsumikiLocalMailbox: LocalMail[] | undefined;
}

function store(): LocalMail[] {
  globalThis.tsumikiLocalMailbox ??= [];
  return globalThis.tsumikiLocalMailbox;
}

/** Every message received, newest first. */
export function localMailbox(): readonly LocalMail[] {
  return store();
}

export function localMail(id: string): LocalMail | null {
  return store().find((mail) => mail.id === id) ?? null;
}

export function clearLocalMailbox(): void {
  store().length = 0;
}

function keep(mail: LocalMail): void {
  const mails = store();
  mails.unshift(mail);
  let bytes = mails.reduce((sum, m) => sum + m.raw.length, 0);
  while (mails.length > MAILBOX_LIMIT || (mails.length > 1 && bytes > MAILBOX_BYTES)) {
    bytes -= mails.pop()!.raw.length;
  }
}

const addressText = (value: AddressObject | AddressObject[] | undefined): string =>
  (Array.isArray(value) ? value : value ? [value] : []).map((a) => a.text).join(", ");

/** "List-Unsubscribe: <https://…>" → its value, unfolded. */
function headerValue(line: string): string {
  return line
    .slice(line.indexOf(":") + 1)
    .replace(/\r?\n[ \t]+/g, " ")
    .trim();
}

/** Reads one raw message into what the mailbox keeps. */
export async function parseLocalMail(
  raw: Buffer,
  envelope: LocalMail["envelope"],
  receivedAt = new Date(),
): Promise<LocalMail> {
  const { simpleParser } = await import("mailparser");
  // The page shows the HTML part as sent: no HTML made from the text part, no links found in it.
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  const headers = parsed.headerLines.map(({ key, line }) => ({
    name: line.slice(0, line.indexOf(":")).trim() || key,
    value: headerValue(line),
  }));
  const header = (name: string) => headers.find((h) => h.name.toLowerCase() === name)?.value ?? null;
  const html = typeof parsed.html === "string" ? parsed.html : null;
  return {
    id: randomUUID(),
    receivedAt,
    envelope,
    from: addressText(parsed.from),
    to: addressText(parsed.to),
    subject: parsed.subject ?? "",
    date: parsed.date ?? null,
    messageId: parsed.messageId ?? null,
    language: header("content-language") ?? (html ? (/<html[^>]*\slang="([^"]+)"/i.exec(html)?.[1] ?? null) : null),
    html,
    text: parsed.text ?? null,
    headers,
    listUnsubscribe: header("list-unsubscribe"),
    listUnsubscribePost: header("list-unsubscribe-post"),
    raw: raw.toString("utf8"),
  };
}

export interface LocalSmtp {
  port: number;
  close(): Promise<void>;
}

/**
 * Starts the local mail server on `host:port` (port 0: any free port) and resolves once it listens. Refuses any
 * host but loopback, and any connection from elsewhere.
 */
export async function startLocalSmtp(options: { port: number; host?: string }): Promise<LocalSmtp> {
  const host = options.host ?? "127.0.0.1";
  if (!isLoopbackAddress(host) && host !== "localhost") {
    throw new Error(`The local SMTP server binds to loopback only, not ${host}`);
  }
  const { SMTPServer } = await import("smtp-server");
  const server = new SMTPServer({
    name: "tsumiki.local",
    banner: "Tsumiki local mailbox",
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    size: MESSAGE_BYTES,
    logger: false,
    onConnect(session, callback) {
      callback(isLoopbackAddress(session.remoteAddress) ? undefined : new Error("Local connections only"));
    },
    onAuth(auth, _session, callback) {
      // Any login is accepted: SMTP_URL may carry a user and password from another setup.
      callback(null, { user: auth.username ?? "local" });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", callback);
      stream.on("end", () => {
        if (stream.sizeExceeded) {
          const error = new Error(`Message exceeds the local mailbox's limit of ${MESSAGE_BYTES} bytes`);
          (error as Error & { responseCode: number }).responseCode = 552;
          callback(error);
          return;
        }
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
        };
        parseLocalMail(Buffer.concat(chunks), envelope).then(
          (mail) => {
            keep(mail);
            callback();
          },
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    const failed = (error: Error) => reject(error);
    server.once("error", failed);
    server.listen(options.port, host, () => {
      server.off("error", failed);
      resolve();
    });
  });
  server.on("error", (error) => console.error("local SMTP server:", error));
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// The mailbox's pages (/local/mailbox and /local/mailbox/:id): developer-facing, plain HTML like the other local pages.

const PAGE_STYLE = `
  body { margin: 0; font-family: system-ui, sans-serif; color: #1f2124; background: #fafaf7; }
  header { display: flex; gap: 24px; align-items: center; padding: 16px 24px; background: #fff; border-bottom: 1px solid #e3e3e3; }
  main { max-width: 1080px; margin: 0 auto; padding: 24px; }
  table { width: 100%; border-collapse: collapse; background: #fff; }
  td, th { padding: 8px; border-bottom: 1px solid #e3e3e3; text-align: left; vertical-align: top; }
  th { white-space: nowrap; }
  td.header { font-family: ui-monospace, monospace; font-size: 13px; word-break: break-all; }
  iframe { width: 100%; height: 560px; border: 1px solid #e3e3e3; border-radius: 8px; background: #fff; }
  pre { white-space: pre-wrap; word-break: break-word; background: #fff; border: 1px solid #e3e3e3; border-radius: 8px; padding: 16px; }
`;

/** A mailbox page: the local pages' header and style around `body` (already HTML). */
export function mailboxPageHtml(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} – Tsumiki local</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header>
  <a href="/local/mailbox"><strong>Local mailbox</strong></a>
  <a href="/local/admin?path=/app/notifications">Notifications (admin)</a>
  <a href="/local/storefront">Storefront</a>
</header>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>`;
}

/** When a message arrived, to the second, in UTC (the machine's zone is not the shop's). */
export function mailboxTime(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
