import type { LoaderFunctionArgs } from "@remix-run/node";
import { isLocalRequest } from "../local/local.server";
import {
  localMailbox,
  mailboxPageHtml,
  mailboxTime,
  MAILBOX_LIMIT,
  type LocalMail,
} from "../local/local-mailbox.server";
import { escapeHtml as escape } from "../shared/html";

const row = (mail: LocalMail) => `<tr>
  <td><time datetime="${mail.receivedAt.toISOString()}">${mailboxTime(mail.receivedAt)}</time></td>
  <td>${escape(mail.to || mail.envelope.to.join(", "))}</td>
  <td><a href="/local/mailbox/${mail.id}">${escape(mail.subject || "(no subject)")}</a></td>
  <td>${escape(mail.language ?? "–")}</td>
</tr>`;

/**
 * Local mode only: every message the local SMTP server received (`npm run local` points SMTP_URL at it), newest
 * first; each opens rendered at /local/mailbox/:id.
 */
export const loader = ({ context }: LoaderFunctionArgs) => {
  if (!isLocalRequest(context)) throw new Response("Not found", { status: 404 });
  const mails = localMailbox();
  const body = mails.length
    ? `<p>${mails.length} message${mails.length === 1 ? "" : "s"}, newest first (the last ${MAILBOX_LIMIT}, kept in memory until \
the server stops). <a href="/local/mailbox">Reload</a></p>
<table>
<thead><tr><th>Received</th><th>To</th><th>Subject</th><th>Language</th></tr></thead>
<tbody>${mails.map(row).join("")}</tbody>
</table>`
    : `<p>No messages yet. The scheduled jobs deliver due messages every minute (marketing messages wait out the \
shop's quiet hours); a test send from the Notifications page arrives at once. <a href="/local/mailbox">Reload</a></p>`;
  return new Response(mailboxPageHtml("Local mailbox", body), {
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
};
