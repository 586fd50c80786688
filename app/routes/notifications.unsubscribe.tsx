import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { readConfig } from "../config.server";
import { BODY_LIMITS, bodyTooLargeBody } from "../http/body-limits";
import { BodyTooLarge, readLimited } from "../http/body.server";
import { escapeHtml } from "../shared/html";
import { verifyUnsubscribeToken } from "../notifications/unsubscribe";
import { unsubscribeMember, unsubscribeSubject } from "../notifications/unsubscribe.server";
import { word } from "../notifications/words";
import type { MessageLocale } from "../notifications/kinds";

function page(locale: MessageLocale, body: string, status = 200): Response {
  const html =
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<meta name="robots" content="noindex"><title>${escapeHtml(word(locale, "unsubscribe", "title"))}</title></head>` +
    `<body style="font-family:sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.6">${body}</body></html>`;
  return new Response(html, {
    status,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
}

async function subjectOf(request: Request) {
  const token = new URL(request.url).searchParams.get("token");
  const memberId = verifyUnsubscribeToken(readConfig().apiSecret, token);
  return memberId ? unsubscribeSubject(prisma, memberId) : null;
}

const invalid = () =>
  page(
    "ja",
    `<p>${escapeHtml(word("ja", "unsubscribe", "invalid"))}</p><p>${escapeHtml(word("en", "unsubscribe", "invalid"))}</p>`,
    400,
  );

// GET /notifications/unsubscribe?token=…: the link in the email's footer asks before it acts (a link scanner
// following it must not unsubscribe anyone); the button posts, as a mail client's one-click does.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const subject = await subjectOf(request);
  if (!subject) return invalid();
  const { locale } = subject;
  if (subject.unsubscribed) return page(locale, `<p>${escapeHtml(word(locale, "unsubscribe", "done"))}</p>`);
  return page(
    locale,
    `<p>${escapeHtml(word(locale, "unsubscribe", "confirm", { shop: subject.shop }))}</p>` +
      `<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">` +
      `<button type="submit">${escapeHtml(word(locale, "unsubscribe", "button"))}</button></form>`,
  );
};

// POST /notifications/unsubscribe?token=…: RFC 8058 one-click (body "List-Unsubscribe=One-Click"), honoured at once.
export const action = async ({ request }: ActionFunctionArgs) => {
  try {
    await readLimited(request, BODY_LIMITS.storefront);
  } catch (error) {
    if (error instanceof BodyTooLarge) return Response.json(bodyTooLargeBody(BODY_LIMITS.storefront), { status: 413 });
    throw error;
  }
  const subject = await subjectOf(request);
  if (!subject) return invalid();
  await unsubscribeMember(prisma, subject.memberId);
  return page(subject.locale, `<p>${escapeHtml(word(subject.locale, "unsubscribe", "done"))}</p>`);
};
