// The cart page's "Pay with points", drawn without Preact (it ships in a small script of its own): the member picks
// points, the app holds them (app proxy `cart-points`), and the reservation's nonce goes on the cart as an attribute
// through the Cart AJAX API, where the discount Function reads it at checkout on every plan.
import type { CartPointsError, CartPointsResult, CartPointsState } from "../../../app/storefront/cart-points-api";
import { minorExponent } from "../format";
import { cartTranslator, type CartMessage } from "./cart-i18n";
import { cartSubtotalMinor, maxCartPoints } from "./cart-points";

export interface CartConfig {
  proxy: string;
  locale: string;
  currency: string;
  loggedIn: boolean;
  loginUrl: string;
  /** The storefront's root (`routes.root_url`), where `/cart.js` and `/cart/update.js` live. */
  root: string;
  /** The block's accent (buttons); inside the widget's panel the panel's own is used. */
  color?: string;
}

// Shopify's app proxy is documented for GET and POST only: letting go is a POST too.
const RELEASE = JSON.stringify({ release: true });

/** Said on the document whenever this cart's points change, so every block on the page draws the new state. */
export const CHANGED = "tsumiki:cart-points";

interface AjaxCart {
  items_subtotal_price?: number;
  total_price?: number;
  attributes?: Record<string, string | null>;
}

type Failure = Partial<CartPointsError> & { status: number };

function json<T>(url: string, init?: RequestInit): Promise<T> {
  return fetch(url, {
    credentials: "same-origin",
    ...init,
    headers: { Accept: "application/json", ...(init && init.body ? { "Content-Type": "application/json" } : {}) },
  }).then(
    (res) =>
      res.json().then(
        (body: T) => (res.ok ? body : Promise.reject({ ...body, status: res.status })),
        () => Promise.reject({ status: res.status }),
      ),
    () => Promise.reject({ status: 0 }),
  );
}

function node(tag: string, attributes: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElement {
  const el = document.createElement(tag);
  for (const name in attributes) el.setAttribute(name, attributes[name]);
  el.append(...children);
  return el;
}

/** Draws the block into `el` and keeps it current; returns a function that draws it again from the server. */
export function cartBlock(el: HTMLElement, config: CartConfig): () => Promise<void> {
  const t = cartTranslator(config.locale);
  const exponent = minorExponent(config.currency);
  const num = new Intl.NumberFormat(config.locale).format;
  const money = (minor: number) =>
    new Intl.NumberFormat(config.locale, { style: "currency", currency: config.currency }).format(
      minor / 10 ** exponent,
    );
  const root = config.root.replace(/\/$/, "");
  const api = config.proxy.replace(/\/$/, "") + "/cart-points";
  const setAttribute = (name: string, value: string) =>
    json<AjaxCart>(root + "/cart/update.js", {
      method: "POST",
      body: JSON.stringify({ attributes: { [name]: value } }),
    });
  const said = node("p", { class: "tsumiki-sr", "aria-live": "polite" });
  const body = node("div");
  el.textContent = "";
  const section = node("section", { class: "tsumiki-cart" }, node("h3", {}, t("title")), body, said);
  // On the cart page the block stands alone: it takes the widget's styles (scoped to .tsumiki-root) itself.
  if (!el.closest(".tsumiki-root")) {
    section.classList.add("tsumiki-root");
    section.style.setProperty("--tsumiki-color", config.color || "#1a5f4a");
    section.style.setProperty("--tsumiki-text", "#ffffff");
  }
  el.append(section);

  const show = (...children: Array<Node | string>) => body.replaceChildren(...children);
  const alert = (message: string) => node("p", { role: "alert", class: "tsumiki-error" }, message);
  const reason = (failure: Failure, state?: CartPointsState, max = 0) => {
    if (failure.status == 503 || failure.status == 0) return t("unavailable");
    const code = failure.code;
    const key: CartMessage =
      code == "insufficient_balance" || code == "over_maximum" || code == "blocked"
        ? code
        : code == "invalid" || code == "below_minimum"
          ? "invalid"
          : "error";
    return t(key, { max: num(max), min: num(state ? state.minPoints : 0), step: num(state ? state.step : 0) });
  };
  const changed = () => document.dispatchEvent(new CustomEvent(CHANGED, { detail: el }));

  async function draw(): Promise<void> {
    if (!config.loggedIn) {
      show(node("p", {}, t("login"), " ", node("a", { href: config.loginUrl }, t("loginLink"))));
      return;
    }
    let state: CartPointsState, cart: AjaxCart;
    try {
      [state, cart] = await Promise.all([json<CartPointsState>(api), json<AjaxCart>(root + "/cart.js")]);
    } catch (failure) {
      show(alert(reason(failure as Failure)));
      return;
    }
    if (!state.enabled) {
      el.hidden = true;
      return;
    }
    el.hidden = false;
    const held = state.reservation;
    // Held for this very cart only when the cart carries the nonce: another tab may have replaced it since.
    if (held && cart.attributes && cart.attributes[state.attribute] == held.nonce) {
      const remove = node("button", { type: "button", class: "tsumiki-button tsumiki-secondary" }, t("remove"));
      remove.onclick = () =>
        busy(remove, async () => {
          await json<CartPointsResult>(api, { method: "POST", body: RELEASE });
          await setAttribute(state.attribute, "");
        });
      show(node("p", {}, t("applied", { n: num(held.points), amount: money(held.amountMinor) })), remove);
      return;
    }
    const subtotal = cartSubtotalMinor(cart, exponent);
    const max = maxCartPoints(state, subtotal);
    const balance = node("p", {}, t("balance", { n: num(state.balance) }));
    if (max == 0) {
      show(balance, node("p", {}, t("tooFew", { min: num(state.minPoints) })));
      return;
    }
    const id = "tsumiki-cart-points-" + Math.random().toString(36).slice(2);
    const hint = node(
      "span",
      { id: id + "-hint" },
      t("range", { min: num(state.minPoints), max: num(max), step: num(state.step) }),
    );
    const input = node("input", {
      id,
      type: "number",
      inputmode: "numeric",
      min: String(state.minPoints),
      max: String(max),
      step: String(state.step),
      value: String(max),
      "aria-describedby": id + "-hint",
    }) as HTMLInputElement;
    const use = node("button", { type: "button", class: "tsumiki-button" }, t("use"));
    const error = node("div");
    use.onclick = () =>
      busy(use, async () => {
        const points = Number(input.value);
        let result: CartPointsResult;
        try {
          result = await json<CartPointsResult>(api, {
            method: "POST",
            body: JSON.stringify({ points, subtotalMinor: subtotal }),
          });
        } catch (failure) {
          error.replaceChildren(alert(reason(failure as Failure, state, max)));
          return false;
        }
        try {
          await setAttribute(result.attribute, result.reservation!.nonce);
        } catch (failure) {
          // Points held for a cart that does not carry the nonce would discount nothing: let them go.
          await json(api, { method: "POST", body: RELEASE }).catch(() => {});
          throw failure;
        }
      });
    show(balance, node("label", { for: id }, t("amount")), " ", input, " ", hint, " ", use, error);
  }

  /** Runs a change with the button disabled, then draws the new state everywhere; says what failed. */
  async function busy(button: HTMLElement, work: () => Promise<unknown>): Promise<void> {
    button.setAttribute("disabled", "");
    said.textContent = t("working");
    try {
      if ((await work()) === false) {
        button.removeAttribute("disabled");
        said.textContent = "";
        return;
      }
    } catch (failure) {
      show(alert(reason(failure as Failure)));
      return;
    }
    changed();
  }

  const onChange = (event: Event) => {
    // A panel's block goes when the panel closes: it stops listening then.
    if (!el.isConnected) return document.removeEventListener(CHANGED, onChange);
    said.textContent = "";
    // The block the shopper used says what is now true (points applied, or the field again) to a screen reader.
    void draw().then(() => {
      if ((event as CustomEvent).detail == el)
        said.textContent = (body.firstChild && body.firstChild.textContent) || "";
    });
  };
  document.addEventListener(CHANGED, onChange);
  void draw();
  return draw;
}
