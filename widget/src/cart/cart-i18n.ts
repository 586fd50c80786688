import { translate, type Translate } from "../i18n";

/** The cart page's "Pay with points" strings, [English, Japanese]: only the cart script carries them. */
const cartMessages = {
  title: ["Pay with points", "ポイントで支払う"],
  login: ["Log in to pay with your points.", "ログインするとポイントでお支払いいただけます。"],
  loginLink: ["Log in", "ログイン"],
  balance: ["You have {n} points.", "保有ポイント：{n}ポイント"],
  amount: ["Points to use", "利用ポイント"],
  range: ["{min} to {max} points, in steps of {step}", "{min}〜{max}ポイント（{step}ポイント単位）"],
  use: ["Use points", "ポイントを使う"],
  applied: [
    "{n} points ({amount} off) will be taken off at checkout.",
    "{n}ポイント（{amount}引き）をお会計時に割引します。",
  ],
  remove: ["Don't use points", "ポイントを使わない"],
  tooFew: ["Points can be used from {min} points.", "{min}ポイントからご利用いただけます。"],
  working: ["Saving…", "保存中…"],
  insufficient_balance: ["You do not have that many points.", "ポイントが足りません。"],
  over_maximum: ["This cart allows up to {max} points.", "このカートでご利用いただけるのは{max}ポイントまでです。"],
  invalid: [
    "Choose {min} points or more, in steps of {step}.",
    "{min}ポイント以上、{step}ポイント単位でご指定ください。",
  ],
  blocked: [
    "Your points account is on hold. Please contact the shop.",
    "ポイントのご利用を停止しています。ストアにお問い合わせください。",
  ],
  unavailable: [
    "Points are temporarily unavailable. You can still check out.",
    "ただいまポイントをご利用いただけません。お会計はそのまま進められます。",
  ],
  error: ["Something went wrong. Please try again.", "エラーが発生しました。もう一度お試しください。"],
} satisfies Record<string, [string, string]>;

export type CartMessage = keyof typeof cartMessages;

export const cartTranslator = (locale: string): Translate<CartMessage> => translate(cartMessages, locale);
