/** The checkout extension's shipped size, as a shopper downloads it. */
import { bundleSize } from "../extensions/checkout-points/tests/bundle";

console.log(JSON.stringify(await bundleSize()));
