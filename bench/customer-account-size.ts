/** The customer account extension's shipped size per target, as a customer downloads it. */
import { bundleSizes } from "../extensions/customer-account/tests/bundle";

console.log(JSON.stringify(await bundleSizes()));
