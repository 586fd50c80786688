import type { StorefrontSummary } from "../../app/storefront/storefront-api";

type Messages = Record<string, [en: string, ja: string]>;

/**
 * The strings the loader shows before the panel script arrives: the closed launcher, the page block's skeleton and
 * a panel that failed to load. [English, Japanese] side by side; `{name}` placeholders are filled by `t`.
 */
export const launcherMessages = {
  title: ["Rewards", "ポイント"],
  join: ["Earn points", "ポイントを貯める"],
  pt1: ["{n} point", "{n}ポイント"],
  pts: ["{n} points", "{n}ポイント"],
  loading: ["Loading…", "読み込み中…"],
  loadError: ["We couldn't load your points.", "ポイントを読み込めませんでした。"],
} satisfies Messages;

/** Every string of the widget: the launcher's and the panel's. */
const messages = {
  ...launcherMessages,
  close: ["Close", "閉じる"],
  available: ["Available points", "利用可能ポイント"],
  pending: ["{points} pending", "確定待ち{points}"],
  pendingNote: ["(usable after the return window)", "（返品期間後に利用可能）"],
  expiring: ["{points} expire on {date}", "{points}が{date}に失効"],
  bonusOf: ["{name} bonus", "{name}ボーナス"],
  among: [" ({list})", "（{list}）"],
  debt: ["{points} owed after a refund; new points repay it first.", "返金による不足{points}（新しいポイントで相殺）"],
  tier: ["Tier: {name}", "ランク：{name}"],
  noTier: ["No tier yet", "ランクなし"],
  toNext: ["{amount} more to {name}", "{name}まであと{amount}"],
  toNextPts: ["{n} more points to {name}", "{name}まであと{n}ポイント"],
  top: ["You're at the top tier", "最上位ランクです"],
  intro: [
    "Earn points on every order and turn them into discounts.",
    "お買い物でポイントが貯まり、割引に交換できます。",
  ],
  login: ["Log in", "ログイン"],
  agree: ["I accept the program terms", "規約に同意します"],
  register: ["Create account", "会員登録"],
  earnTitle: ["Ways to earn", "貯め方"],
  earnRate: ["{points} per {amount}", "{amount}ごとに{points}"],
  signup: ["Sign up: {points}", "会員登録：{points}"],
  birthday: ["Birthday: {points}", "誕生日：{points}"],
  expiry: ["Points expire after {n} days.", "有効期限は獲得から{n}日です。"],
  tiersTitle: ["Tiers", "ランク"],
  spendTo: ["Spend {amount}", "{amount}利用"],
  earnTo: ["Earn {points}", "{points}獲得"],
  extra: ["+{n}% points", "ポイント+{n}%"],
  rewardsTitle: ["Spend points", "ポイントを使う"],
  off: ["{amount} off", "{amount}割引"],
  minimum: ["orders over {amount}", "{amount}以上の注文"],
  redeem: ["Redeem", "交換"],
  missing: ["{points} more needed", "あと{points}"],
  confirm: ["Spend {points} for {amount} off?", "{points}で{amount}割引と交換しますか？"],
  cancel: ["Cancel", "キャンセル"],
  working: ["Redeeming…", "交換中…"],
  yourCode: ["Your discount code", "割引コード"],
  redeemed: ["Redeemed {points}. Your code is {code}.", "{points}を交換しました。コードは{code}です。"],
  blocked: [
    "Redeeming is unavailable for your account. Please contact the shop.",
    "このアカウントでは交換できません。ショップへお問い合わせください。",
  ],
  codesTitle: ["Your codes", "お持ちのコード"],
  expires: ["expires {date}", "期限{date}"],
  copy: ["Copy", "コピー"],
  copied: ["Copied", "コピーしました"],
  historyTitle: ["History", "履歴"],
  noHistory: ["No activity yet.", "履歴はまだありません。"],
  more: ["Load more", "さらに表示"],
  tag: ["pending", "確定待ち"],
  review: ["under review", "審査中"],
  earn: ["Earned", "獲得"],
  redeemKind: ["Redeemed", "交換"],
  reverse: ["Reversed", "取消"],
  adjust: ["Adjusted", "調整"],
  expire: ["Expired", "失効"],
  bonus: ["Bonus", "ボーナス"],
  reward: ["Reward", "特典"],
  retry: ["Try again", "再試行"],
  insufficient_balance: ["Not enough points for this reward.", "ポイントが足りません。"],
  not_logged_in: ["Please log in again.", "もう一度ログインしてください。"],
  unknown_reward: ["This reward is no longer available.", "この特典は利用できません。"],
  shopify_refused: [
    "The code couldn't be created. Please try later.",
    "コードを作成できませんでした。後でお試しください。",
  ],
  failed: ["Something went wrong. Please try again.", "エラーが発生しました。もう一度お試しください。"],
  // The app's database is down (503): nothing the shopper did; the shop works as usual without points.
  unavailable: ["Points are temporarily unavailable.", "ポイントは一時的に利用できません。"],
} satisfies Messages;

export type MessageKey = keyof typeof messages;

export type Translate<K extends string = MessageKey> = (key: K, vars?: Record<string, string | number>) => string;

/** This table's strings in Japanese for any `ja…` locale, English otherwise. */
export function translate<K extends string>(table: Record<K, [string, string]>, locale: string): Translate<K> {
  const ja = /^ja/i.test(locale) ? 1 : 0;
  return (key, vars) =>
    (table[key] ? table[key][ja] : key).replace(/{(\w+)}/g, (_, name: string) => "" + (vars || {})[name]);
}

/** The whole widget's strings (the panel's translator). */
export const translator = (locale: string): Translate => translate(messages, locale);

/**
 * What the closed launcher says under its name: the balance, "Earn points" for a visitor, nothing while a member's
 * balance is loading (or failed to). The loader and the panel's Launcher both say it with this.
 */
export function launcherBadge(
  t: Translate<keyof typeof launcherMessages>,
  num: (n: number) => string,
  loggedIn: boolean,
  summary?: StorefrontSummary,
): string {
  const member = summary?.member;
  return member
    ? t(member.available == 1 ? "pt1" : "pts", { n: num(member.available) })
    : loggedIn && !summary
      ? ""
      : t("join");
}
