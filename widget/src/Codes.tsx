/** @jsxImportSource preact */
import type { Ctx } from "./context";

/** Copies a discount code to the clipboard and says so. */
export function CopyButton({ code }: { code: string }, { w }: Ctx) {
  return (
    <button
      type="button"
      class="tsumiki-button tsumiki-small"
      aria-label={w.t("copy") + " " + code}
      onClick={() => w.copy(code)}
    >
      {w.t(w.state.copied == code ? "copied" : "copy")}
    </button>
  );
}

/** The shopper's unused discount codes. */
export function Codes(_: unknown, { w }: Ctx) {
  const codes = w.state.summary!.codes;
  return codes.length ? (
    <section>
      <h3>{w.t("codesTitle")}</h3>
      <ul>
        {codes.map((c) => (
          <li key={c.code} class="tsumiki-row">
            <span>
              <code class="tsumiki-code">{c.code}</code>{" "}
              <span class="tsumiki-muted">
                {w.t("off", { amount: w.f.money(c.amountMinor) })} · {w.t("expires", { date: w.f.date(c.expiresAt) })}
              </span>
            </span>
            <CopyButton code={c.code} />
          </li>
        ))}
      </ul>
    </section>
  ) : null;
}
