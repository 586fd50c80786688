/** @jsxImportSource preact */
import type { ComponentChildren } from "preact";
import type { Ctx } from "./context";
import { launcherBadge } from "./i18n";

/**
 * The fixed launcher button and the modal panel it opens; focus handling lives in Widget. The loader (`mount.ts`)
 * draws the same button before this script arrives, and this one replaces it when the shopper opens it.
 */
export function Launcher({ children }: { children?: ComponentChildren }, { w }: Ctx) {
  const { t, state } = w;
  const id = "tsumiki-" + w.c.position;
  return (
    <>
      <button
        type="button"
        class="tsumiki-launcher"
        aria-haspopup="dialog"
        aria-expanded={!!state.open}
        aria-controls={id}
        onClick={() => w.toggle()}
      >
        <span class="tsumiki-launcher-name">{t("title")}</span>{" "}
        <span>{launcherBadge(t, w.f.num, w.c.loggedIn, state.summary)}</span>
      </button>
      <div
        id={id}
        class="tsumiki-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={id + "-t"}
        hidden={!state.open}
      >
        <div class="tsumiki-head">
          <h2 id={id + "-t"} class="tsumiki-title">
            {t("title")}
          </h2>
          <button type="button" class="tsumiki-close" aria-label={t("close")} onClick={() => w.close()}>
            ×
          </button>
        </div>
        <div class="tsumiki-body">{children}</div>
      </div>
    </>
  );
}
