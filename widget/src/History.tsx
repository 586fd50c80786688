/** @jsxImportSource preact */
import type { Ctx } from "./context";

/**
 * The points history, newest first, with "Load more" for older pages. A campaign's bonus with an expiry of its
 * own is named, with that expiry, and so is its expiry.
 */
export function History(_: unknown, { w }: Ctx) {
  const { t, state } = w;
  return (
    <section>
      <h3>{t("historyTitle")}</h3>
      {state.history.length ? (
        <ul>
          {state.history.map((e) => (
            <li key={e.id} class="tsumiki-row">
              <span>
                <span class="tsumiki-muted">{w.f.date(e.at)}</span>{" "}
                {e.campaign
                  ? (e.kind == "expire" ? t("expire") + " " : "") + t("bonusOf", { name: e.campaign.name })
                  : t(e.kind == "redeem" ? "redeemKind" : e.kind)}
                {e.orderName && " " + e.orderName}
                {e.campaign && e.kind == "earn" && " · " + t("expires", { date: w.f.lastDay(e.campaign.expiresAt) })}
                {e.pending && " "}
                {e.pending && <span class="tsumiki-tag">{t(e.review ? "review" : "tag")}</span>}
              </span>
              <strong class={e.points < 0 ? "tsumiki-minus" : ""}>
                {(e.points > 0 ? "+" : "") + w.f.num(e.points)}
              </strong>
            </li>
          ))}
        </ul>
      ) : (
        <p class="tsumiki-muted">{t("noHistory")}</p>
      )}
      {state.more == 2 && (
        <p role="alert" class="tsumiki-error">
          {t("failed")}
        </p>
      )}
      {state.next && (
        <button
          type="button"
          class="tsumiki-button tsumiki-secondary"
          disabled={state.more == 1}
          onClick={() => w.loadMore()}
        >
          {t(state.more == 1 ? "loading" : "more")}
        </button>
      )}
    </section>
  );
}
