// The `shopify` global of this extension's targets, as the Shopify CLI declares it.
import "@shopify/ui-extensions/preact";

declare module "./src/PointsRedemption.tsx" {
  const shopify: import("@shopify/ui-extensions/purchase.checkout.block.render").Api;
}
declare module "./src/api.ts" {
  const shopify: import("@shopify/ui-extensions/purchase.checkout.block.render").Api;
}
declare module "./src/ThankYouPoints.tsx" {
  const shopify: import("@shopify/ui-extensions/purchase.thank-you.block.render").Api;
}
