/** @jsxImportSource preact */
import { useEffect, useState } from "preact/hooks";
import { loadOrder, type OrderPoints } from "./api";
import { explain, failureOf, Notice, points, type Failure } from "./words";

/** What an order's points were: earned (and pending), spent, or nothing yet. Shared with nothing else: words only. */
export function OrderSummary({ order }: { order: OrderPoints }) {
  const { translate } = shopify.i18n;
  if (order.status === "processing") return <s-text>{translate("order.processing")}</s-text>;
  if (order.earned <= 0 && order.spent <= 0) return <s-text>{translate("order.none")}</s-text>;
  return (
    <s-stack gap="small-200">
      {order.earned > 0 && <s-text>{translate("order.earned", { points: points(order.earned) })}</s-text>}
      {order.pending > 0 && (
        <s-text color="subdued">{translate("order.pending", { points: points(order.pending) })}</s-text>
      )}
      {order.earned > 0 && order.explanation && (
        <s-text color="subdued">{translate("order.why", { explanation: explain(order.explanation) })}</s-text>
      )}
      {order.spent > 0 && <s-text>{translate("order.spent", { points: points(order.spent) })}</s-text>}
    </s-stack>
  );
}

export function OrderPointsBlock() {
  const { translate } = shopify.i18n;
  const [order, setOrder] = useState<OrderPoints | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const orderId = shopify.order.value?.id;

  useEffect(() => {
    if (!orderId) return;
    loadOrder(orderId)
      .then(setOrder)
      .catch((error: unknown) => setFailure(failureOf("errors.load")(error)));
  }, [orderId]);

  if (!orderId) return null;
  return (
    <s-section heading={translate("order.heading")}>
      {order ? (
        <OrderSummary order={order} />
      ) : failure ? (
        <Notice failure={failure} />
      ) : (
        <s-spinner accessibilityLabel={translate("order.heading")} />
      )}
    </s-section>
  );
}
