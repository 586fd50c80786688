/** @jsxImportSource preact */
import { useEffect, useState } from "preact/hooks";
// The app's answer, typed from the app itself (a type-only import: nothing of the app is bundled).
import type { OrderPoints } from "../../../app/members/customer-account-api";
import { APP_URL } from "./config";

type Loaded = { kind: "order"; order: OrderPoints } | { kind: "guest" } | { kind: "failed"; unavailable: boolean };

/** The order's points from the app, under the thank-you page's session token. */
async function loadOrderPoints(orderId: string): Promise<Loaded> {
  const token = await shopify.sessionToken.get();
  const response = await fetch(`${APP_URL}/checkout/orders/${encodeURIComponent(orderId.split("/").pop() ?? "")}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  const json = (await response.json().catch(() => ({}))) as OrderPoints & { code?: string };
  if (response.ok) return { kind: "order", order: json };
  if (json.code === "not_logged_in") return { kind: "guest" };
  return { kind: "failed", unavailable: json.code === "unavailable" };
}

/** On the thank-you page: the points earned (or pending) and spent on the order just placed. A guest sees nothing. */
export function ThankYouPoints() {
  const { translate, formatNumber } = shopify.i18n;
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const orderId = shopify.orderConfirmation.value?.order.id;

  useEffect(() => {
    if (!orderId) return;
    loadOrderPoints(orderId)
      .then(setLoaded)
      .catch(() => setLoaded({ kind: "failed", unavailable: false }));
  }, [orderId]);

  if (!loaded || loaded.kind === "guest") return null;
  if (loaded.kind === "failed") {
    return <s-banner tone="info">{translate(loaded.unavailable ? "thankYou.unavailable" : "thankYou.load")}</s-banner>;
  }
  const { order } = loaded;
  const points = (n: number) => formatNumber(n);
  return (
    <s-stack gap="small-200">
      <s-heading>{translate("thankYou.heading")}</s-heading>
      {order.status === "processing" ? (
        <s-text>{translate("thankYou.processing")}</s-text>
      ) : order.earned <= 0 && order.spent <= 0 ? (
        <s-text>{translate("thankYou.none")}</s-text>
      ) : (
        <s-stack gap="small-200">
          {order.earned > 0 && <s-text>{translate("thankYou.earned", { points: points(order.earned) })}</s-text>}
          {order.pending > 0 && (
            <s-text color="subdued">{translate("thankYou.pending", { points: points(order.pending) })}</s-text>
          )}
          {order.spent > 0 && <s-text>{translate("thankYou.spent", { points: points(order.spent) })}</s-text>}
        </s-stack>
      )}
    </s-stack>
  );
}
