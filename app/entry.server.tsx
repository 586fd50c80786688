import { createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { adminLocale } from "./i18n/admin-locale";
import { createAdminI18n } from "./i18n/catalog";
import { startJobs } from "./jobs/jobs.server";
import { addDocumentResponseHeaders } from "./shopify.server";
import { withoutNulBytes } from "./http/without-nul-bytes.server";

startJobs();

const STREAM_TIMEOUT_MS = 5000;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  addDocumentResponseHeaders(request, responseHeaders);
  const callbackName = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";
  // One i18next instance per request, in the language of the admin that opened the page; entry.client.tsx makes
  // the same one in the browser before hydrating, so both render the same words.
  const page = (
    <I18nextProvider i18n={createAdminI18n(adminLocale(request))}>
      <RemixServer context={remixContext} url={request.url} />
    </I18nextProvider>
  );

  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(page, {
      [callbackName]: () => {
        const body = withoutNulBytes();
        responseHeaders.set("Content-Type", "text/html");
        resolve(
          new Response(createReadableStreamFromReadable(body), {
            headers: responseHeaders,
            status: responseStatusCode,
          }),
        );
        pipe(body);
      },
      onShellError: reject,
      onError: (error: unknown) => {
        responseStatusCode = 500;
        console.error(error);
      },
    });
    setTimeout(abort, STREAM_TIMEOUT_MS + 1000);
  });
}
