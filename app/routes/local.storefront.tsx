import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { isLocalRequest, PREVIEW_COOKIE, PREVIEW_CUSTOMERS, previewCustomer } from "../local/local.server";
import { escapeHtml as escape, widgetEmbed } from "../local/preview-html";

/**
 * Local mode only: a stand-in storefront page that embeds the built widget exactly as the theme app embed
 * renders it (same mount element and data attributes, script deferred), with a picker for the logged-in demo
 * customer. The widget's proxy calls go to /local/apps/tsumiki, which signs them as Shopify's app proxy does.
 */
export const loader = ({ request, context }: LoaderFunctionArgs) => {
  if (!isLocalRequest(context)) throw new Response("Not found", { status: 404 });
  const url = new URL(request.url);
  const locale = url.searchParams.get("locale") === "en" ? "en" : "ja";
  const mode = url.searchParams.get("mode") === "page" ? "page" : "launcher";
  const customer = previewCustomer(request);
  const options = [
    ["", locale === "ja" ? "ログインしていない" : "Not logged in"],
    ...PREVIEW_CUSTOMERS.map((id) => [id, `#${id}`]),
  ]
    .map(
      ([id, label]) => `<option value="${id}"${id === (customer ?? "") ? " selected" : ""}>${escape(label)}</option>`,
    )
    .join("");
  const html = `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Tsumiki demo store</title>
<link rel="stylesheet" href="/local/assets/tsumiki-widget.css">
<style>
  body { margin: 0; font-family: system-ui, sans-serif; color: #1f2124; background: #fafaf7; }
  header { display: flex; justify-content: space-between; align-items: center; padding: 16px 24px; background: #fff; border-bottom: 1px solid #e3e3e3; }
  main { max-width: 960px; margin: 0 auto; padding: 24px; }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 16px; }
  .card { background: #fff; border: 1px solid #e3e3e3; border-radius: 8px; padding: 16px; height: 180px; }
</style>
</head>
<body>
<header>
  <strong>Tsumiki demo store</strong>
  <a href="/local/storefront/cart?locale=${locale}">${locale === "ja" ? "カート" : "Cart"}</a>
  <form method="post" action="/local/storefront?locale=${locale}&amp;mode=${mode}">
    <label>${locale === "ja" ? "ログイン中の顧客" : "Logged in as"}
      <select name="customer" onchange="this.form.submit()">${options}</select>
    </label>
    <noscript><button>OK</button></noscript>
  </form>
</header>
<main>
  <h1>${locale === "ja" ? "新着アイテム" : "New arrivals"}</h1>
  <div class="grid">${["Tea bowl", "Indigo tenugui", "Cedar chopsticks", "Washi notebook"]
    .map((name, i) => `<div class="card"><p>${name}</p><p>¥${(i + 2) * 1800}</p></div>`)
    .join("")}</div>
  ${mode === "page" ? "<h2>Rewards</h2>" : ""}
  ${widgetEmbed({ mode, locale, loggedIn: Boolean(customer), pageUrl: `/local/storefront?locale=${locale}` })}
</main>
<script src="/local/assets/tsumiki-widget.js" defer></script>
</body>
</html>`;
  return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
};

// Choosing a customer logs the preview in as them (a cookie the local proxy signs into each request).
export const action = async ({ request, context }: ActionFunctionArgs) => {
  if (!isLocalRequest(context)) throw new Response("Not found", { status: 404 });
  const form = await request.formData();
  const customer = String(form.get("customer") ?? "");
  const value = PREVIEW_CUSTOMERS.includes(customer) ? customer : "";
  return new Response(null, {
    status: 303,
    headers: {
      Location: `/local/storefront${new URL(request.url).search}`,
      "Set-Cookie": `${PREVIEW_COOKIE}=${value}; Path=/local; HttpOnly; SameSite=Lax${value ? "" : "; Max-Age=0"}`,
    },
  });
};
