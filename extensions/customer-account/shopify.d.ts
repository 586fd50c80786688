// The `shopify` global of this extension's targets, as the Shopify CLI declares it.
import "@shopify/ui-extensions/preact";

declare module "./src/PointsPage.tsx" {
  const shopify: import("@shopify/ui-extensions/customer-account.page.render").Api;
}
declare module "./src/ProfileBlock.tsx" {
  const shopify: import("@shopify/ui-extensions/customer-account.profile.block.render").Api;
}
declare module "./src/OrderPoints.tsx" {
  const shopify: import("@shopify/ui-extensions/customer-account.order-status.block.render").Api;
}
declare module "./src/api.ts" {
  const shopify: import("@shopify/ui-extensions/customer-account.page.render").Api;
}
declare module "./src/words.tsx" {
  const shopify: import("@shopify/ui-extensions/customer-account.page.render").Api;
}
