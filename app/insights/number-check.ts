/**
 * The guard between a language model and the merchant: every number in the model's text must be one the figures
 * allow, or the text is not used.
 *
 * What is understood as a number:
 * - ASCII and full-width digits (１２３), with thousands separators ("," or "，" before groups of exactly three
 *   digits) and a decimal point ("." or "．"): "12,345", "１２，３４５", "3.5".
 * - Percent signs ("%", "％") and currency signs ("¥", "￥", "$", "€", "£", "US$") around a number are dropped:
 *   "¥12,345", "12,345円" and "12.5％" are 12345, 12345 and 12.5. A number's value is what is compared, so "12.5%"
 *   passes where the figures say 12.5 in any form.
 * - Japanese large units after digits: 千 (×1,000), 万 (×10,000), 億 (×100,000,000), compounded as written
 *   ("1億2,000万" is 120,000,000; "1万2345" is 12,345). English "thousand", "million", "billion" and a "k" suffix
 *   likewise ("1.2 million", "12k").
 * - Kanji numerals before a counter (人, 名, 件, 回, 円, 倍, 割, 点, ポイント, か月, ヶ月, 日, 年): "三人" is 3,
 *   "二十五件" is 25. Elsewhere kanji digits are words ("一部", "十分") and are left alone.
 * - English number words from "two" to "twenty" ("five members"). "one" is left alone: it is mostly a pronoun
 *   ("no one", "one of").
 * A minus sign is not part of the number: the texts say "down 3%", and a hyphen in "2026-11" separates two numbers.
 * Anything else (Roman numerals, "a dozen", "half") is not understood, and the prompt asks for digits.
 *
 * The allowed numbers are those of the templates in both languages, nothing more: not even small ones like 1 or
 * 100, since "1 in 3 members" or "100% of members" would be claims the figures do not make.
 */
import type { Rejection } from "./rejection";

export interface FoundNumber {
  /** The number as written in the text. */
  text: string;
  value: number;
}

const FULL_WIDTH: Record<string, string> = { "，": ",", "．": ".", "％": "%" };

/** Full-width digits and their separators as ASCII, one character for one so offsets stay put. */
function toAscii(text: string): string {
  return text.replace(/[０-９，．％]/g, (c) =>
    c in FULL_WIDTH ? FULL_WIDTH[c] : String.fromCharCode(c.charCodeAt(0) - 0xfee0),
  );
}

const UNITS: Record<string, number> = {
  千: 1_000,
  万: 10_000,
  億: 100_000_000,
  thousand: 1_000,
  million: 1_000_000,
  billion: 1_000_000_000,
  k: 1_000,
  K: 1_000,
};

const DIGITS = /(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?:\s*(thousand|million|billion)\b|(k|K)\b|(千|万|億))?/g;

function digitNumbers(ascii: string, original: string): FoundNumber[] {
  const found: Array<FoundNumber & { start: number; end: number; kanjiUnit: string | undefined }> = [];
  for (const match of ascii.matchAll(DIGITS)) {
    const [all, whole, fraction, word, k, kanji] = match;
    const start = match.index;
    const base = Number(whole.replace(/,/g, "") + (fraction ? `.${fraction}` : ""));
    const unit = word ?? k ?? kanji;
    const value = unit ? base * UNITS[unit] : base;
    found.push({
      text: original.slice(start, start + all.length),
      value,
      start,
      end: start + all.length,
      kanjiUnit: kanji,
    });
  }
  // Compounds as Japanese writes them: "1億2,000万" and "1万2345" are one number.
  const merged: FoundNumber[] = [];
  for (let i = 0; i < found.length; i++) {
    let current = found[i];
    while (
      current.kanjiUnit &&
      current.kanjiUnit !== "千" &&
      i + 1 < found.length &&
      found[i + 1].start === current.end &&
      UNITS[current.kanjiUnit] > found[i + 1].value
    ) {
      const next = found[i + 1];
      current = {
        text: original.slice(current.start, next.end),
        value: current.value + next.value,
        start: current.start,
        end: next.end,
        kanjiUnit: next.kanjiUnit,
      };
      i++;
    }
    merged.push({ text: current.text, value: current.value });
  }
  return merged;
}

const KANJI_DIGIT: Record<string, number> = { 〇: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const KANJI_SMALL: Record<string, number> = { 十: 10, 百: 100, 千: 1_000 };
const KANJI_LARGE: Record<string, number> = { 万: 10_000, 億: 100_000_000 };
const COUNTERS = "人|名|件|回|円|倍|割|点|ポイント|か月|ヶ月|カ月|日|年";
const KANJI_NUMBER = new RegExp(`(?<![0-9０-９.,．，])[〇一二三四五六七八九十百千万億]+(?=${COUNTERS})`, "g");

/** "二十五" → 25, "三千" → 3000, "一万二千" → 12000. */
export function kanjiValue(text: string): number {
  let total = 0;
  let section = 0;
  let digit = 0;
  for (const c of text) {
    if (c in KANJI_DIGIT) digit = KANJI_DIGIT[c];
    else if (c in KANJI_SMALL) {
      section += (digit || 1) * KANJI_SMALL[c];
      digit = 0;
    } else if (c in KANJI_LARGE) {
      total += (section + digit || 1) * KANJI_LARGE[c];
      section = 0;
      digit = 0;
    }
  }
  return total + section + digit;
}

const WORDS = [
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "ten",
  "eleven",
  "twelve",
  "thirteen",
  "fourteen",
  "fifteen",
  "sixteen",
  "seventeen",
  "eighteen",
  "nineteen",
  "twenty",
];
const WORD_NUMBER = new RegExp(`\\b(${WORDS.join("|")})\\b`, "gi");

/** Every number in a text, in the order written (digits first, then kanji numerals, then English words). */
export function extractNumbers(text: string): FoundNumber[] {
  const ascii = toAscii(text);
  return [
    ...digitNumbers(ascii, text),
    ...[...text.matchAll(KANJI_NUMBER)].map((match) => ({ text: match[0], value: kanjiValue(match[0]) })),
    ...[...text.matchAll(WORD_NUMBER)].map((match) => ({
      text: match[0],
      value: WORDS.indexOf(match[0].toLowerCase()) + 2,
    })),
  ];
}

/** Values compared after rounding away binary noise: 12.5 from "12.5%" and 12.5 from a computed ratio are one. */
const key = (value: number) => Math.round(value * 1e6) / 1e6;

/** The numbers the texts contain: the template in each language is the figures as they are allowed to be written. */
export function allowedNumbers(texts: string[]): Set<number> {
  return new Set(texts.flatMap((text) => extractNumbers(text).map((found) => key(found.value))));
}

export type NumberCheck = { ok: true } | { ok: false; rejection: Rejection };

/**
 * Passes when every number in the text is among the allowed ones. A number the draft had and the text dropped is
 * fine: leaving a figure out misleads no one about its value.
 */
export function checkNumbers(text: string, allowed: Set<number>): NumberCheck {
  if (text.trim() === "") return { ok: false, rejection: { code: "noText" } };
  for (const found of extractNumbers(text)) {
    if (!allowed.has(key(found.value))) {
      return { ok: false, rejection: { code: "number", number: found.text } };
    }
  }
  return { ok: true };
}
