/** The widget's strings, [English, Japanese] side by side; `{name}` placeholders are filled by `t`. */
const messages = {
  title: ["Rewards", "ポイント"],
  close: ["Close", "閉じる"],
  join: ["Earn points", "ポイントを貯める"],
  pt1: ["{n} point", "{n}ポイント"],
  pts: ["{n} points", "{n}ポイント"],
  available: ["Available points", "利用可能ポイント"],
  pending: ["{points} pending", "確定待ち{points}"],
  pendingNote: ["(usable after the return window)", "（返品期間後に利用可能）"],
  expiring: ["{points} expire on {date}", "{points}が{date}に失効"],
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
  loading: ["Loading…", "読み込み中…"],
  tag: ["pending", "確定待ち"],
  earn: ["Earned", "獲得"],
  redeemKind: ["Redeemed", "交換"],
  reverse: ["Reversed", "取消"],
  adjust: ["Adjusted", "調整"],
  expire: ["Expired", "失効"],
  bonus: ["Bonus", "ボーナス"],
  reward: ["Reward", "特典"],
  loadError: ["We couldn't load your points.", "ポイントを読み込めませんでした。"],
  retry: ["Try again", "再試行"],
  insufficient_balance: ["Not enough points for this reward.", "ポイントが足りません。"],
  not_logged_in: ["Please log in again.", "もう一度ログインしてください。"],
  unknown_reward: ["This reward is no longer available.", "この特典は利用できません。"],
  shopify_refused: [
    "The code couldn't be created. Please try later.",
    "コードを作成できませんでした。後でお試しください。",
  ],
  failed: ["Something went wrong. Please try again.", "エラーが発生しました。もう一度お試しください。"],
} satisfies Record<string, [en: string, ja: string]>;

export type MessageKey = keyof typeof messages;

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** Japanese for any `ja…` locale, English otherwise. */
export function translator(locale: string): Translate {
  const ja = /^ja/i.test(locale) ? 1 : 0;
  return (key, vars) =>
    (messages[key] ? messages[key][ja] : key).replace(/{(\w+)}/g, (_, name: string) => "" + (vars || {})[name]);
}
