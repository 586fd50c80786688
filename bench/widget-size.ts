/**
 * The storefront widget as a shopper downloads it: the script the theme blocks load on every page (as shipped,
 * which is what Shopify's 10,000-byte limit measures, and gzipped), the panel script that opening the launcher
 * loads after it, and the stylesheet. The last line is the JSON that `bench/run.ts` reads.
 */
import { widgetSizes } from "../widget/size";

const s = await widgetSizes();
console.log(
  `tsumiki-widget.js (the blocks' script): ${s.loaderRaw} B as shipped (limit 10,000 B), ${s.loaderGzip} B gzipped`,
);
console.log(`tsumiki-widget.panel.js (loaded on opening): ${s.panelRaw} B as shipped, ${s.panelGzip} B gzipped`);
console.log(
  `tsumiki-cart.js (the cart block, cart page only): ${s.cartRaw} B as shipped (limit 10,000 B), ${s.cartGzip} B gzipped`,
);
console.log(`tsumiki-widget.css: ${s.cssRaw} B as shipped, ${s.cssGzip} B gzipped`);
console.log(JSON.stringify(s));
