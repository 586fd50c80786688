import { PREVIEW_COOKIE, PREVIEW_CUSTOMERS } from "./local.server";
import { escapeHtml as escape, widgetEmbed } from "./preview-html";
import type { PreviewCart, PreviewCheckout } from "./local-cart.server";

const yen = (amount: number, locale: string) =>
  new Intl.NumberFormat(locale, { style: "currency", currency: "JPY" }).format(amount);

const STYLE = `
  body { margin: 0; font-family: system-ui, sans-serif; color: #1f2124; background: #fafaf7; }
  header { display: flex; justify-content: space-between; align-items: center; padding: 16px 24px; background: #fff; border-bottom: 1px solid #e3e3e3; }
  main { max-width: 720px; margin: 0 auto; padding: 24px; }
  table { width: 100%; border-collapse: collapse; background: #fff; }
  td, th { padding: 8px; border-bottom: 1px solid #e3e3e3; text-align: left; }
  td.amount, th.amount { text-align: right; }
  .tsumiki-cart-block { margin: 24px 0; padding: 16px; background: #fff; border: 1px solid #e3e3e3; border-radius: 8px; }
`;

function page(locale: string, title: string, customer: string | null, action: string, body: string): string {
  const options = [
    ["", locale === "ja" ? "ログインしていない" : "Not logged in"],
    ...PREVIEW_CUSTOMERS.map((id) => [id, `#${id}`]),
  ]
    .map(
      ([id, label]) => `<option value="${id}"${id === (customer ?? "") ? " selected" : ""}>${escape(label)}</option>`,
    )
    .join("");
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escape(title)} – Tsumiki demo store</title>
<link rel="stylesheet" href="/local/assets/tsumiki-widget.css">
<style>${STYLE}</style>
</head>
<body>
<header>
  <a href="/local/storefront?locale=${locale}"><strong>Tsumiki demo store</strong></a>
  <form method="post" action="${action}">
    <label>${locale === "ja" ? "ログイン中の顧客" : "Logged in as"}
      <select name="customer" onchange="this.form.submit()">${options}</select>
    </label>
    <noscript><button>OK</button></noscript>
  </form>
</header>
<main>
<h1>${escape(title)}</h1>
${body}
</main>
</body>
</html>`;
}

function lines(cart: PreviewCart, locale: string): string {
  return cart.lines
    .map(
      (l) =>
        `<tr><td>${escape(l.title)}</td><td class="amount">${l.quantity}</td><td class="amount">${yen(l.price * l.quantity, locale)}</td></tr>`,
    )
    .join("");
}

/**
 * The cart page: its lines, the "Pay with points" app block as the theme renders it (its script loaded as the block's
 * schema loads it) and the app embed's launcher, whose panel offers the same block here.
 */
export function cartPageHtml(cart: PreviewCart, customer: string | null, locale: string): string {
  const ja = locale === "ja";
  const subtotal = cart.lines.reduce((sum, l) => sum + l.price * l.quantity, 0);
  return page(
    locale,
    ja ? "カート" : "Cart",
    customer,
    `/local/storefront/cart?locale=${locale}`,
    `<table>
  <thead><tr><th>${ja ? "商品" : "Item"}</th><th class="amount">${ja ? "数量" : "Qty"}</th><th class="amount">${ja ? "金額" : "Price"}</th></tr></thead>
  <tbody>${lines(cart, locale)}</tbody>
  <tfoot><tr><th colspan="2">${ja ? "小計" : "Subtotal"}</th><td class="amount" data-subtotal>${yen(subtotal, locale)}</td></tr></tfoot>
</table>
<div class="tsumiki-cart-block">
  <div
    data-tsumiki-cart
    data-proxy="/local/apps/tsumiki"
    data-root="/local/storefront"
    data-locale="${locale}"
    data-currency="JPY"
    data-logged-in="${customer ? "true" : "false"}"
    data-login-url="/local/storefront/cart?locale=${locale}"
  ></div>
</div>
<p><a href="/local/storefront/checkout?locale=${locale}">${ja ? "ご購入手続きへ" : "Check out"}</a></p>
${widgetEmbed({ mode: "launcher", locale, loggedIn: Boolean(customer), pageUrl: `/local/storefront/cart?locale=${locale}`, root: "/local/storefront" })}
<script src="/local/assets/tsumiki-widget.js" defer></script>
<script src="/local/assets/tsumiki-cart.js" defer></script>`,
  );
}

/** The stand-in checkout: the total after the discount the real Function returned for this cart. */
export function checkoutPageHtml(
  cart: PreviewCart,
  checkout: PreviewCheckout,
  customer: string | null,
  locale: string,
) {
  const ja = locale === "ja";
  const discounts = checkout.discounts
    .map(
      (d) =>
        `<tr data-discount><th colspan="2">${escape(d.message)}</th><td class="amount">−${yen(d.amount, locale)}</td></tr>`,
    )
    .join("");
  return page(
    locale,
    ja ? "お会計（プレビュー）" : "Checkout (preview)",
    customer,
    `/local/storefront/checkout?locale=${locale}`,
    `<table>
  <tbody>${lines(cart, locale)}</tbody>
  <tfoot>
    <tr><th colspan="2">${ja ? "小計" : "Subtotal"}</th><td class="amount">${yen(checkout.subtotal, locale)}</td></tr>
    ${discounts}
    <tr><th colspan="2">${ja ? "合計" : "Total"}</th><td class="amount" data-total>${yen(checkout.total, locale)}</td></tr>
  </tfoot>
</table>
<p>${
      ja
        ? "割引はポイント割引Function（extensions/points-discount）をこのカートで実行して計算しています。"
        : "The discount is computed by running the points discount Function (extensions/points-discount) on this cart."
    }</p>
<p><a href="/local/storefront/cart?locale=${locale}">${ja ? "カートに戻る" : "Back to the cart"}</a></p>`,
  );
}

/** The picker on the cart and checkout pages: logs the preview in as the chosen demo customer, then comes back. */
export async function choosePreviewCustomer(request: Request): Promise<Response> {
  const form = await request.formData();
  const customer = String(form.get("customer") ?? "");
  const value = PREVIEW_CUSTOMERS.includes(customer) ? customer : "";
  const url = new URL(request.url);
  return new Response(null, {
    status: 303,
    headers: {
      Location: `${url.pathname}${url.search}`,
      "Set-Cookie": `${PREVIEW_COOKIE}=${value}; Path=/local; HttpOnly; SameSite=Lax${value ? "" : "; Max-Age=0"}`,
    },
  });
}
