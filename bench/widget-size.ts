/** The storefront widget as a shopper downloads it: built, then gzipped. */
import { widgetSizes } from "../widget/size";

console.log(JSON.stringify(await widgetSizes()));
