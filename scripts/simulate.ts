/**
 * Sends realistic webhooks and app proxy requests to a running `npm run local`, signed with
 * SHOPIFY_API_SECRET exactly as Shopify signs them.
 *
 *   npm run simulate -- order --customer 1001 --total 5400 [--quantity 2] [--order 42] [--currency JPY] [--guest] [--test]
 *   npm run simulate -- refund --order 42 [--quantity 1] [--amount 2700]
 *   npm run simulate -- cancel --order 42
 *   npm run simulate -- customer --customer 1001
 *   npm run simulate -- summary --customer 1001
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { LOCAL_SHOP, localDefaults } from "../app/local/local.server";
import { customerPayload, orderPayload, refundPayload, uniqueId } from "../test/support/payloads";
import { proxyRequest, webhookRequest } from "../test/support/shopify";

if (existsSync(".env")) process.loadEnvFile(".env");
const port = process.env.PORT ?? "3000";
for (const [name, value] of Object.entries(localDefaults(port))) process.env[name] ||= value;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    customer: { type: "string" },
    total: { type: "string", default: "5400" },
    quantity: { type: "string", default: "1" },
    amount: { type: "string" },
    order: { type: "string" },
    currency: { type: "string", default: "JPY" },
    shop: { type: "string", default: LOCAL_SHOP },
    url: { type: "string", default: `http://127.0.0.1:${port}` },
    guest: { type: "boolean", default: false },
    test: { type: "boolean", default: false },
  },
});

function required(name: "customer" | "order"): number {
  const value = Number(values[name]);
  if (!values[name] || !Number.isSafeInteger(value) || value <= 0) {
    console.error(`--${name} <numeric id> is required`);
    process.exit(2);
  }
  return value;
}

const options = { shop: values.shop, baseUrl: values.url };
const quantity = Math.max(1, Number(values.quantity));
let request: Request;
switch (positionals[0]) {
  case "order": {
    const id = values.order ? required("order") : uniqueId() * 1000;
    const unit = (Number(values.total) / quantity).toString();
    request = webhookRequest(
      "orders/paid",
      orderPayload({
        id,
        customerId: values.guest ? null : required("customer"),
        currency: values.currency,
        test: values.test,
        lines: [{ price: unit, quantity }],
      }),
      options,
    );
    console.log(`order ${id}`);
    break;
  }
  case "refund": {
    const orderId = required("order");
    const lineItemId = orderId * 100; // the first line of a simulated order
    request = webhookRequest(
      "refunds/create",
      refundPayload(orderId, [{ lineItemId, quantity, subtotal: values.amount ?? "0" }], values.currency),
      options,
    );
    break;
  }
  case "cancel": {
    const id = required("order");
    request = webhookRequest(
      "orders/cancelled",
      { ...orderPayload({ id, customerId: null, currency: values.currency }), cancelled_at: new Date().toISOString() },
      options,
    );
    break;
  }
  case "customer":
    request = webhookRequest("customers/create", customerPayload(required("customer")), options);
    break;
  case "summary":
    request = proxyRequest("summary", { ...options, customerId: values.customer ?? "" });
    break;
  default:
    console.error(
      "usage: npm run simulate -- <order|refund|cancel|customer|summary> [options]; see scripts/simulate.ts",
    );
    process.exit(2);
}

try {
  const response = await fetch(request);
  console.log(`${request.method} ${new URL(request.url).pathname} → ${response.status}`);
  console.log(await response.text());
  process.exit(response.ok ? 0 : 1);
} catch (error) {
  console.error(`could not reach ${values.url}: is \`npm run local\` running? (${(error as Error).message})`);
  process.exit(1);
}
