/** @jsxImportSource preact */
import { Balance } from "./Balance";
import { Codes } from "./Codes";
import type { Ctx } from "./context";
import { History } from "./History";
import { Join } from "./Join";
import { Program } from "./Program";
import { Rewards } from "./Rewards";
import { Tier } from "./Tier";

/** The panel's contents: a skeleton while loading, the error with a retry, the member's view or the program. */
export function Panel(_: unknown, { w }: Ctx) {
  const { t, state } = w;
  const summary = state.summary;
  if (state.failed) {
    return (
      <div class="tsumiki-panel">
        <p role="alert" class="tsumiki-error">
          {t(state.failed)}
        </p>
        <button type="button" class="tsumiki-button" onClick={() => w.load()}>
          {t("retry")}
        </button>
      </div>
    );
  }
  if (!summary) {
    return (
      <div class="tsumiki-panel tsumiki-skeleton" aria-busy="true">
        <span class="tsumiki-sr">{t("loading")}</span>
        <i />
        <i />
        <i />
        <i />
      </div>
    );
  }
  const member = summary.loggedIn && summary.member;
  const ms = summary.membership;
  // A logged-in customer who has not joined a "members join" program is offered joining, and earns nothing until then.
  if (member && ms.mode == "join" && !ms.member) {
    return (
      <div class="tsumiki-panel">
        <Join m={ms} />
        <Program p={summary.program} />
      </div>
    );
  }
  return member ? (
    <div class="tsumiki-panel">
      <Balance m={member} />
      <Tier m={member} p={summary.program} />
      <Rewards />
      <Codes />
      <Program p={summary.program} />
      <History />
    </div>
  ) : (
    <div class="tsumiki-panel">
      <section>
        <p>{t("intro")}</p>
        <p class="tsumiki-actions">
          <a class="tsumiki-button" href={w.c.loginUrl}>
            {t("login")}
          </a>
          <a class="tsumiki-button tsumiki-secondary" href={w.c.registerUrl}>
            {t("register")}
          </a>
        </p>
      </section>
      <Program p={summary.program} />
      <Rewards />
    </div>
  );
}
