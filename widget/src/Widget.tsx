/** @jsxImportSource preact */
import { Component } from "preact";
import type {
  HistoryEntry,
  IssuedCode,
  StorefrontMembership,
  StorefrontReward,
  StorefrontSummary,
} from "../../app/storefront/storefront-api";
import { createApi, idempotencyKey, type Api, type ApiFailure } from "./api";
import type { Config } from "./config";
import type { Ctx } from "./context";
import { createFormat, type Format } from "./format";
import { translator, type Translate } from "./i18n";
import { Launcher } from "./Launcher";
import { Panel } from "./Panel";

export interface State {
  open?: boolean;
  summary?: StorefrontSummary;
  /** Why the summary did not load: the message to show, or false while it loads or has loaded. */
  failed?: false | "loadError" | "unavailable";
  /** The polite live region's text. */
  said: string;
  /** The reward being confirmed and its idempotency key (kept for a retry of the same click). */
  pending?: { reward: StorefrontReward; key: string } | null;
  busy?: boolean;
  error?: string;
  issued?: IssuedCode | null;
  copied?: string;
  history: HistoryEntry[];
  next?: string | null;
  /** Loading more history: 0 or unset idle, 1 loading, 2 failed. */
  more?: 0 | 1 | 2;
  /** The join form's terms box is ticked. */
  agreed?: boolean;
}

export interface WidgetProps {
  config: Config;
  api?: Api;
  /** The summary request the loader already sent (on load for a member or the page block, or on opening). */
  summary?: Promise<StorefrontSummary>;
  /** Rendered open: the shopper opened the loader's launcher, which this widget replaces. */
  open?: boolean;
}

// Everything focusable the panel renders (its only tabindex is -1, on elements focused by script).
const FOCUSABLE = "a[href],button:not([disabled]),input";

/**
 * One mounted widget; holds all state, so the parts below are plain functions reading it through context.
 * Loads the summary once: on mount for a logged-in shopper (the launcher shows the balance) and in page mode;
 * for an anonymous visitor only when the launcher is first opened. On the storefront it is the panel script's:
 * the loader has drawn the launcher and may have sent the summary request already, which it hands over.
 */
export class Widget extends Component<WidgetProps, State> {
  declare t: Translate;
  declare f: Format;
  declare api: Api;
  declare c: Config;
  declare requested: boolean;

  constructor(props: WidgetProps) {
    super(props);
    this.c = props.config;
    this.t = translator(this.c.locale);
    this.f = createFormat(this.c.locale, this.c.currency);
    this.api = props.api || createApi(this.c.proxy);
    this.requested = false;
    this.state = { history: [], said: "", open: props.open };
    this.onKey = this.onKey.bind(this);
  }

  getChildContext(): Ctx {
    return { w: this };
  }

  /** "1 point", "320 points", "320ポイント". */
  pts(n: number): string {
    return this.t(n == 1 ? "pt1" : "pts", { n: this.f.num(n) });
  }

  load(): void {
    this.take(this.api.summary());
  }

  /** Shows what this summary request answers: the summary, or the error with a retry. */
  take(request: Promise<StorefrontSummary>): void {
    this.requested = true;
    this.setState({ failed: false });
    request.then(
      (summary) => this.setState({ summary, history: summary.history.entries, next: summary.history.next }),
      (e: ApiFailure) => this.setState({ failed: e.code == "unavailable" ? e.code : "loadError" }),
    );
  }

  toggle(): void {
    if (this.state.open) return this.close();
    this.setState({ open: true });
    if (!this.requested) this.load();
  }

  close(): void {
    this.setState({ open: false });
    this.el(".tsumiki-launcher")?.focus();
  }

  start(reward: StorefrontReward | null): void {
    this.setState({ pending: reward && { reward, key: idempotencyKey() }, error: "", issued: null });
  }

  confirm(): void {
    const { pending, busy, summary } = this.state;
    if (!pending || busy) return;
    this.setState({ busy: true, error: "" });
    this.api.redeem({ rewardId: pending.reward.id, key: pending.key }).then(
      (r) =>
        this.setState({
          busy: false,
          pending: null,
          issued: r.code,
          said: this.t("redeemed", { points: this.pts(r.code.points), code: r.code.code }),
          summary: summary && {
            ...summary,
            member: summary.member && { ...summary.member, available: r.available },
            codes: [r.code, ...summary.codes],
          },
        }),
      (e: ApiFailure) =>
        this.setState({
          busy: false,
          // in_progress: the same click is still being served; "try again" is the right answer.
          error: this.t(e.code && e.code != "invalid_request" && e.code != "in_progress" ? e.code : "failed"),
          // A refusal is final; after a network or server failure the step stays, to retry with the same key.
          pending: e.status >= 400 && e.status < 500 ? null : pending,
        }),
    );
  }

  /** Joins with the terms the shopper accepted, then reloads the summary: the member's view, with any bonus. */
  join(m: StorefrontMembership): void {
    this.setState({ busy: true, error: "" });
    this.api.join({ termsVersion: m.termsVersion }).then(
      () => (this.setState({ busy: false }), this.load()),
      () => this.setState({ busy: false, error: this.t("failed") }),
    );
  }

  loadMore(): void {
    const { next, more } = this.state;
    if (!next || more == 1) return;
    this.setState({ more: 1 });
    this.api.history(next).then(
      (page) => this.setState((s) => ({ history: [...s.history, ...page.entries], next: page.next, more: 0 })),
      () => this.setState({ more: 2 }),
    );
  }

  copy(code: string): void {
    navigator.clipboard?.writeText(code).then(
      () => this.setState({ copied: code, said: this.t("copied") }),
      () => {},
    );
  }

  el(selector: string): HTMLElement | null {
    return (this.base as HTMLElement).querySelector<HTMLElement>(selector);
  }

  /** While the dialog is open: Escape closes it, Tab and Shift+Tab wrap inside it. */
  onKey(e: KeyboardEvent): void {
    const dialog = this.state.open && this.el(".tsumiki-dialog");
    if (!dialog) return;
    if (e.key == "Escape") {
      e.preventDefault();
      this.close();
    } else if (e.key == "Tab") {
      const items = dialog.querySelectorAll<HTMLElement>(FOCUSABLE);
      const first = items[0];
      const last = items[items.length - 1];
      const active = document.activeElement;
      if (!dialog.contains(active) || active == (e.shiftKey ? first : last)) {
        e.preventDefault();
        (e.shiftKey ? last : first).focus();
      }
    }
  }

  componentDidMount(): void {
    const { summary, open } = this.props;
    if (summary) this.take(summary);
    else if (this.c.mode == "page" || this.c.loggedIn || open) this.load();
    document.addEventListener("keydown", this.onKey);
    // Opened from the loader's launcher: focus goes into the dialog as it does on a toggle.
    if (open) this.el(".tsumiki-close")?.focus();
  }

  componentWillUnmount(): void {
    document.removeEventListener("keydown", this.onKey);
  }

  /** Moves focus to what just appeared: the dialog, the confirmation, the new code, a refusal. */
  componentDidUpdate(_: unknown, prev: State): void {
    const s = this.state;
    const target =
      s.open && !prev.open
        ? ".tsumiki-close"
        : s.pending && s.pending != prev.pending
          ? ".tsumiki-confirm button"
          : s.issued && s.issued != prev.issued
            ? ".tsumiki-issued"
            : s.error && !s.pending && s.error != prev.error
              ? ".tsumiki-error"
              : "";
    if (target) this.el(target)?.focus();
  }

  render() {
    const c = this.c;
    const panel = <Panel />;
    return (
      <div
        class={`tsumiki-root tsumiki-${c.mode == "page" ? "page" : "embed"} tsumiki-${c.position}`}
        style={{ "--tsumiki-color": c.color, "--tsumiki-text": c.textColor }}
      >
        {c.mode == "page" ? panel : <Launcher>{panel}</Launcher>}
        <div class="tsumiki-sr" aria-live="polite">
          {this.state.said}
        </div>
      </div>
    );
  }
}
