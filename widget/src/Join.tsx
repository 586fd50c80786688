/** @jsxImportSource preact */
import type { StorefrontMembership } from "../../app/storefront/storefront-api";
import type { Ctx } from "./context";

/**
 * A logged-in customer who has not joined a "members join" program: the terms to accept and the join button (the
 * launcher's "Earn points"). The button stays disabled until the box is ticked: consent is the shopper's own act.
 * Only the terms have words of their own: the panel script has a byte budget.
 */
export function Join({ m }: { m: StorefrontMembership }, { w }: Ctx) {
  const { t, state } = w;
  const agree = t("agree");
  return (
    <section>
      <label>
        <input type="checkbox" checked={state.agreed} onChange={() => w.setState({ agreed: !state.agreed })} />{" "}
        {m.termsUrl ? (
          <a href={m.termsUrl} target="_blank">
            {agree}
          </a>
        ) : (
          agree
        )}
      </label>
      <p>
        <button type="button" class="tsumiki-button" disabled={!state.agreed || state.busy} onClick={() => w.join(m)}>
          {t("join")}
        </button>
      </p>
      {state.error && (
        <p role="alert" class="tsumiki-error" tabIndex={-1}>
          {state.error}
        </p>
      )}
    </section>
  );
}
