// Benchmarks drive the real routes, which read the app's configuration at import.
process.env.SHOPIFY_API_KEY ||= "tsumiki-bench-key";
process.env.SHOPIFY_API_SECRET ||= "tsumiki-bench-secret";
process.env.SHOPIFY_APP_URL ||= "https://tsumiki.bench";
process.env.SCOPES ||= "read_orders,read_customers";
process.env.NODE_ENV ||= "production";
