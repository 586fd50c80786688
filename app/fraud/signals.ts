/** What a detection rule says: which rule, how strongly, on what evidence. */

export type RuleId =
  | "velocity"
  | "large_order"
  | "redeem_refund"
  | "signup_farming"
  | "flagged_redemption"
  | "birthday_rebonus"
  | "staff_outlier";

export interface Evidence {
  /** The figures behind the score (counts, medians, z-scores): also the values the translated summary interpolates. */
  figures: Record<string, number>;
  orderIds: string[];
  memberIds: string[];
  staffIds: string[];
}

export interface Signal {
  rule: RuleId;
  /**
   * How strongly: 1 is the merchant's threshold, 2 twice as far past it. A signal below 1 is shown to staff but holds
   * nothing (an expired reservation at a slow checkout, say).
   */
  score: number;
  /** Stable key for the translated summary (`fraud.<rule>.<case>`), with `evidence.figures` as its parameters. */
  code: string;
  /** The same in plain English, for logs and the audit trail. */
  summary: string;
  evidence: Evidence;
}

export function signal(
  rule: RuleId,
  code: string,
  score: number,
  summary: string,
  evidence: Partial<Evidence> & Pick<Evidence, "figures">,
): Signal {
  return {
    rule,
    code: `fraud.${rule}.${code}`,
    score: round(score, 2),
    summary,
    evidence: { orderIds: [], memberIds: [], staffIds: [], ...evidence },
  };
}

export const round = (x: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
