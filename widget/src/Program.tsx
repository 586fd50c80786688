/** @jsxImportSource preact */
import type { StorefrontProgram } from "../../app/storefront/storefront-api";
import type { Ctx } from "./context";

/** How the program works: ways to earn, expiry and tiers. Shown to everyone. */
export function Program({ p }: { p: StorefrontProgram }, { w }: Ctx) {
  const t = w.t;
  return (
    <>
      <section>
        <h3>{t("earnTitle")}</h3>
        <ul>
          <li>{t("earnRate", { points: w.pts(p.earnRate.points), amount: w.f.money(p.earnRate.perMinor) })}</li>
          {p.signupBonus > 0 && <li>{t("signup", { points: w.pts(p.signupBonus) })}</li>}
          {p.birthdayBonus > 0 && <li>{t("birthday", { points: w.pts(p.birthdayBonus) })}</li>}
          {p.actions.map((a) => (
            <li key={a.name}>
              {a.name}: {w.pts(a.points)}
            </li>
          ))}
        </ul>
        {p.expiryDays != null && <p class="tsumiki-muted">{t("expiry", { n: p.expiryDays })}</p>}
      </section>
      {p.tiers.length > 0 && (
        <section>
          <h3>{t("tiersTitle")}</h3>
          <ul>
            {p.tiers.map((tier) => (
              <li key={tier.id}>
                <strong>{tier.name}</strong>{" "}
                {p.tierBasis == "spend"
                  ? t("spendTo", { amount: w.f.money(tier.threshold) })
                  : t("earnTo", { points: w.pts(tier.threshold) })}
                {tier.earnExtraPercent > 0 && " · " + t("extra", { n: tier.earnExtraPercent })}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
