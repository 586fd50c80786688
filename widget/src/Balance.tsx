/** @jsxImportSource preact */
import type { StorefrontMember } from "../../app/storefront-api";
import type { Ctx } from "./context";

/** Available and pending points, the soonest expiry, any debt. */
export function Balance({ m }: { m: StorefrontMember }, { w }: Ctx) {
  const t = w.t;
  return (
    <section>
      <p class="tsumiki-muted">{t("available")}</p>
      <p class="tsumiki-points">{w.f.num(m.available)}</p>
      {m.pending > 0 && (
        <p>
          {t("pending", { points: w.pts(m.pending) })} <span class="tsumiki-muted">{t("pendingNote")}</span>
        </p>
      )}
      {m.expiringSoon && (
        <p>{t("expiring", { points: w.pts(m.expiringSoon.points), date: w.f.date(m.expiringSoon.at) })}</p>
      )}
      {m.debt > 0 && <p class="tsumiki-warn">{t("debt", { points: w.pts(m.debt) })}</p>}
    </section>
  );
}
