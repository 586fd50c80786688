/** @jsxImportSource preact */
import { useEffect, useState } from "preact/hooks";
import { loadPoints, PointsApiError, releasePoints, reservePoints } from "./api";
import { clampPoints, maxPoints, pointsWorth, toMinor, unavailableReason, type PointsState } from "./redemption";

/** The cart attribute the discount Function matches against the shopper's reservation. */
export const RESERVATION_ATTRIBUTE = "_tsumiki_reservation";

type ErrorKey = "errors.load" | "errors.apply" | "errors.remove" | "errors.unavailable";

/**
 * What to tell the shopper when a call failed: the app's database is down (503 "unavailable"), or this step failed.
 * Either way it is only a notice: the extension never blocks checkout (it has no block_progress capability), so the
 * purchase goes on without points.
 */
const failureKey = (key: ErrorKey) => (error: unknown) =>
  error instanceof PointsApiError && error.code === "unavailable" ? "errors.unavailable" : key;

function Notice({ error }: { error: ErrorKey }) {
  return (
    <s-banner tone={error === "errors.unavailable" ? "info" : "critical"}>{shopify.i18n.translate(error)}</s-banner>
  );
}

export function PointsRedemption() {
  const { translate, formatCurrency, formatNumber } = shopify.i18n;
  const [state, setState] = useState<PointsState | null>(null);
  // Until the shopper types a number, offer the most this cart allows.
  const [chosen, setChosen] = useState<number | null>(null);
  const [error, setError] = useState<ErrorKey | null>(null);
  const [busy, setBusy] = useState(false);

  const subtotal = shopify.cost.subtotalAmount.value;
  const subtotalMinor = toMinor(subtotal.amount, subtotal.currencyCode);

  useEffect(() => {
    loadPoints()
      .then(setState)
      .catch((failure: unknown) => setError(failureKey("errors.load")(failure)));
  }, []);

  if (!state) return error ? <Notice error={error} /> : null;

  const reason = unavailableReason(state, subtotal.currencyCode, subtotalMinor);
  if (reason && !state.reservation) {
    return (
      <s-text>
        {translate(`unavailable.${reason}`, { min: formatNumber(state.minPoints), currency: state.currency })}
      </s-text>
    );
  }

  const max = maxPoints(state, subtotalMinor);
  const points = chosen ?? max;
  const worth = (n: number) => formatCurrency(pointsWorth(n, state), { currency: state.currency });

  async function apply() {
    setBusy(true);
    setError(null);
    try {
      const { reservation, balance } = await reservePoints(points, subtotalMinor);
      await shopify.applyAttributeChange({
        type: "updateAttribute",
        key: RESERVATION_ATTRIBUTE,
        value: reservation.nonce,
      });
      setState({ ...state!, reservation, balance });
    } catch (failure) {
      setError(failureKey("errors.apply")(failure));
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    setBusy(true);
    setError(null);
    try {
      const { balance } = await releasePoints();
      await shopify.applyAttributeChange({ type: "removeAttribute", key: RESERVATION_ATTRIBUTE });
      setState({ ...state!, reservation: null, balance });
    } catch (failure) {
      setError(failureKey("errors.remove")(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <s-stack gap="base">
      <s-heading>{translate("heading")}</s-heading>
      <s-text>{translate("balance", { points: formatNumber(state.balance), value: worth(state.balance) })}</s-text>
      {error && <Notice error={error} />}
      {state.reservation ? (
        <s-stack direction="inline" gap="base" alignItems="center">
          <s-text>
            {translate("applied", {
              points: formatNumber(state.reservation.points),
              value: worth(state.reservation.points),
            })}
          </s-text>
          <s-button variant="secondary" loading={busy} onClick={remove}>
            {translate("remove")}
          </s-button>
        </s-stack>
      ) : (
        <s-stack gap="small-200">
          <s-stack direction="inline" gap="base" alignItems="end">
            <s-number-field
              label={translate("pointsLabel")}
              value={String(points)}
              min={state.minPoints}
              max={max}
              step={state.step}
              onChange={(event: Event) =>
                setChosen(clampPoints(Number((event.currentTarget as unknown as { value: string }).value), state, max))
              }
            />
            <s-button variant="primary" loading={busy} disabled={points === 0} onClick={apply}>
              {translate("apply")}
            </s-button>
          </s-stack>
          <s-text color="subdued">
            {translate("pointsDetails", {
              min: formatNumber(state.minPoints),
              step: formatNumber(state.step),
              max: formatNumber(max),
            })}
          </s-text>
        </s-stack>
      )}
    </s-stack>
  );
}
