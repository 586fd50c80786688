/** @jsxImportSource preact */
import type { StorefrontMember, StorefrontProgram } from "../../app/storefront/storefront-api";
import type { Ctx } from "./context";

/** The member's tier and the way to the next one, in spend or points per the program's basis. */
export function Tier({ m, p }: { m: StorefrontMember; p: StorefrontProgram }, { w }: Ctx) {
  const t = w.t;
  const next = m.nextTier;
  if (!p.tiers.length) return null;
  const threshold = (id?: string) => p.tiers.find((tier) => tier.id == id)?.threshold || 0;
  const base = threshold(m.tier?.id);
  const span = next ? threshold(next.id) - base : 0;
  return (
    <section>
      <p>
        <strong>{m.tier ? t("tier", { name: m.tier.name }) : t("noTier")}</strong>
      </p>
      {next ? (
        <>
          <div class="tsumiki-bar" aria-hidden="true">
            <span style={{ width: span > 0 ? `${Math.max(0, 100 - (100 * next.remaining) / span)}%` : 0 }} />
          </div>
          <p>
            {p.tierBasis == "spend"
              ? t("toNext", { amount: w.f.money(next.remaining), name: next.name })
              : t("toNextPts", { n: w.f.num(next.remaining), name: next.name })}
          </p>
        </>
      ) : (
        <p>{t("top")}</p>
      )}
    </section>
  );
}
