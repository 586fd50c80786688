/** The cart script, built beside the loader in the theme extension's assets. */
export const CART_FILE = "tsumiki-cart.js";

/** A storefront cart page (`/cart`, or `/<locale>/cart` on a translated storefront). */
export const onCartPage = (path: string) => /\/cart\/?$/.test(path);

/**
 * Loads the cart script from beside the loader (its `src`), once; the cart block may have loaded it already. The
 * loader calls this only when the launcher is opened on the cart page, so no other page pays for it.
 */
export function loadCartScript(loaderSrc: string): void {
  if (document.querySelector(`script[src*="${CART_FILE}"]`)) return;
  const url = new URL(loaderSrc, document.baseURI);
  url.pathname = url.pathname.replace(/[^/]*$/, CART_FILE);
  const script = document.createElement("script");
  script.src = url.href;
  document.head.appendChild(script);
}
