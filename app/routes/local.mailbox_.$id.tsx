import type { LoaderFunctionArgs } from "@remix-run/node";
import { isLocalRequest } from "../local/local.server";
import { localMail, mailboxPageHtml, mailboxTime, type LocalMail } from "../local/local-mailbox.server";
import { escapeHtml as escape } from "../shared/html";

const field = (name: string, value: string | null) =>
  `<tr><th>${name}</th><td>${value === null ? "–" : escape(value)}</td></tr>`;

/**
 * RFC 8058's one-click, as a mail client sends it: a POST of "List-Unsubscribe=One-Click" to the header's https (or,
 * locally, http) address. Offered only when the message says it supports it (List-Unsubscribe-Post).
 */
function oneClick(mail: LocalMail): string {
  const url = /<(https?:[^>]+)>/.exec(mail.listUnsubscribe ?? "")?.[1];
  if (!url || mail.listUnsubscribePost !== "List-Unsubscribe=One-Click") return "";
  return `<form method="post" action="${escape(url)}" target="_blank">
  <input type="hidden" name="List-Unsubscribe" value="One-Click">
  <button type="submit">Unsubscribe with one click, as a mail client would (RFC 8058)</button>
</form>`;
}

// Links in the message open in a new tab: the frame is sandboxed (no scripts, no access to this page).
const framed = (html: string) =>
  /<head[^>]*>/i.test(html)
    ? html.replace(/<head[^>]*>/i, (head) => `${head}<base target="_blank">`)
    : `<base target="_blank">${html}`;

/** Local mode only: one received message, rendered (HTML in a sandboxed frame), its text part and its headers. */
export const loader = ({ request, params, context }: LoaderFunctionArgs) => {
  if (!isLocalRequest(context)) throw new Response("Not found", { status: 404 });
  const mail = localMail(params.id ?? "");
  if (!mail) throw new Response("No such message (the mailbox is emptied when the server stops)", { status: 404 });
  if (new URL(request.url).searchParams.has("raw")) {
    return new Response(mail.raw, {
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  }
  const body = `<table>
${field("Received", mailboxTime(mail.receivedAt))}
${field("From", mail.from)}
${field("To", mail.to)}
${field("Envelope", `${mail.envelope.from ?? "<>"} → ${mail.envelope.to.join(", ")}`)}
${field("Subject", mail.subject)}
${field("Date", mail.date ? mailboxTime(mail.date) : null)}
${field("Language", mail.language)}
${field("Message-ID", mail.messageId)}
${field("List-Unsubscribe", mail.listUnsubscribe)}
${field("List-Unsubscribe-Post", mail.listUnsubscribePost)}
</table>
${oneClick(mail)}
<h2>HTML</h2>
${mail.html ? `<iframe title="The message's HTML part" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="${escape(framed(mail.html))}"></iframe>` : "<p>No HTML part.</p>"}
<h2>Text</h2>
${mail.text ? `<pre>${escape(mail.text)}</pre>` : "<p>No text part.</p>"}
<h2>Headers</h2>
<table>${mail.headers.map((h) => `<tr><th>${escape(h.name)}</th><td class="header">${escape(h.value)}</td></tr>`).join("")}</table>
<p><a href="/local/mailbox/${mail.id}?raw">The message as received (MIME source)</a></p>`;
  return new Response(mailboxPageHtml(mail.subject || "(no subject)", body), {
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
};
