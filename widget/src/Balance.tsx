/** @jsxImportSource preact */
import type { StorefrontMember } from "../../app/storefront/storefront-api";
import type { Ctx } from "./context";

/** Available and pending points, the soonest expiry (naming a campaign bonus that expires on its own), any debt. */
export function Balance({ m }: { m: StorefrontMember }, { w }: Ctx) {
  const t = w.t;
  const soon = m.expiringSoon;
  return (
    <section>
      <p class="tsumiki-muted">{t("available")}</p>
      <p class="tsumiki-points">{w.f.num(m.available)}</p>
      {m.pending > 0 && (
        <p>
          {t("pending", { points: w.pts(m.pending) })} <span class="tsumiki-muted">{t("pendingNote")}</span>
        </p>
      )}
      {soon && (
        <p>
          {t("expiring", { points: w.pts(soon.points), date: w.f.lastDay(soon.at) })}
          {soon.campaigns &&
            t("among", {
              // A campaign's bonus with an expiry of its own: named, with its points when others expire too.
              list: soon.campaigns
                .map((c) => t("bonusOf", c) + (c.points == soon.points ? "" : " " + w.pts(c.points)))
                .join(", "),
            })}
        </p>
      )}
      {m.debt > 0 && <p class="tsumiki-warn">{t("debt", { points: w.pts(m.debt) })}</p>}
    </section>
  );
}
