/** @jsxImportSource preact */
import type { StorefrontReward } from "../../app/storefront/storefront-api";
import { CopyButton } from "./Codes";
import type { Ctx } from "./context";

/**
 * The rewards and the redeem flow: Redeem → confirm → POST → the code, shown prominently. Anonymous visitors see
 * the costs only; unaffordable rewards say how many points are missing; a blocked member's buttons are disabled.
 */
export function Rewards(_: unknown, { w }: Ctx) {
  const { t, state, f } = w;
  const { summary, pending, busy, issued, error } = state;
  const member = summary!.loggedIn && summary!.member;

  const action = (r: StorefrontReward) =>
    !member ? null : pending?.reward.id == r.id ? (
      <div class="tsumiki-confirm">
        <p>{t("confirm", { points: w.pts(r.points), amount: f.money(r.amountMinor) })}</p>
        {/* Stays enabled (and focused) while the request is out; Widget.confirm ignores repeated clicks. */}
        <button type="button" class="tsumiki-button" aria-busy={!!busy} onClick={() => w.confirm()}>
          {t(busy ? "working" : "redeem")}
        </button>{" "}
        <button type="button" class="tsumiki-button tsumiki-secondary" onClick={() => w.start(null)}>
          {t("cancel")}
        </button>
      </div>
    ) : member.blocked || member.available >= r.points ? (
      <button
        type="button"
        class="tsumiki-button tsumiki-small"
        aria-label={t("redeem") + ": " + r.name}
        disabled={member.blocked || busy}
        onClick={() => w.start(r)}
      >
        {t("redeem")}
      </button>
    ) : (
      <span class="tsumiki-muted">{t("missing", { points: w.pts(r.points - member.available) })}</span>
    );

  return (
    <section>
      <h3>{t("rewardsTitle")}</h3>
      {issued && (
        <div class="tsumiki-issued" tabIndex={-1}>
          <p>{t("yourCode")}</p>
          <p class="tsumiki-code tsumiki-big">{issued.code}</p>
          <p class="tsumiki-muted">
            {t("off", { amount: f.money(issued.amountMinor) })} · {t("expires", { date: f.date(issued.expiresAt) })}
          </p>
          <CopyButton code={issued.code} />
        </div>
      )}
      {error && (
        <p role="alert" class="tsumiki-error" tabIndex={-1}>
          {error}
        </p>
      )}
      {member && member.blocked && <p class="tsumiki-warn">{t("blocked")}</p>}
      <ul>
        {summary!.rewards.map((r) => (
          <li key={r.id} class="tsumiki-row">
            <span>
              <strong>{r.name}</strong>{" "}
              <span class="tsumiki-muted">
                {w.pts(r.points)} · {t("off", { amount: f.money(r.amountMinor) })}
                {r.minimumSubtotalMinor > 0 && " · " + t("minimum", { amount: f.money(r.minimumSubtotalMinor) })}
              </span>
            </span>
            {action(r)}
          </li>
        ))}
      </ul>
    </section>
  );
}
