/**
 * Replays generated traffic through the fraud rules as the app runs them: earn-time rules on each order in time
 * order, with only what was known at that moment (the member's earlier orders, the shop baseline refreshed at the
 * start of each day from the previous four weeks, the live pulse of the last 24 hours); the shop-wide rules once
 * a day at midnight over what happened until then; the birthday check when each bonus is about to be awarded.
 * Then scores the flags against the generator's labels.
 */
import { evaluateBirthdayBonus, evaluateEarn, scanShop } from "../../app/fraud/detect";
import { type EarnOrder, type ShopBaseline, shopBaseline } from "../../app/fraud/model";
import type { MemberMoneyEvents } from "../../app/fraud/redeem-refund";
import type { RuleId, Signal } from "../../app/fraud/signals";
import { DEFAULT_THRESHOLDS, type Thresholds } from "../../app/fraud/thresholds";
import type { Traffic } from "../support/traffic";

const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface Flag {
  at: number;
  signal: Signal;
}

export interface Replay {
  flags: Flag[];
  /** Earn-time evaluations made, and the time spent inside evaluateEarn (ms). */
  evaluations: number;
  evaluateMs: number;
  /** Wall time of the whole earn path replay (state upkeep plus evaluation), ms. */
  earnPathMs: number;
  /** Time spent refreshing the shop baseline each day, ms. */
  baselineMs: number;
  held: number;
}

export function replay(traffic: Traffic, t: Thresholds = DEFAULT_THRESHOLDS, detection = true): Replay {
  const flags: Flag[] = [];
  const history = new Map<string, EarnOrder[]>();
  const money = new Map<
    string,
    {
      earns: EarnOrder[];
      redemptions: MemberMoneyEvents["redemptions"][number][];
      refunds: { orderId: string; at: number }[];
    }
  >();
  const moneyOf = (id: string) => {
    let m = money.get(id);
    if (!m) money.set(id, (m = { earns: [], redemptions: [], refunds: [] }));
    return m;
  };
  const flaggedBefore = new Map<string, number>();
  const pulseCounts = new Map<string, number>();
  const pulse = { orders: 0, members: 0 };
  let pulseTail = 0;
  let baselineTail = 0;
  let orderIndex = 0;
  let redemptionIndex = 0;
  let refundIndex = 0;
  let bonusIndex = 0;
  let adjustmentIndex = 0;
  let evaluations = 0;
  let evaluateMs = 0;
  let earnPathMs = 0;
  let baselineMs = 0;
  let held = 0;
  const { orders } = traffic;
  const lastBonus = new Map<string, number>();
  const changes = new Map<string, Traffic["birthdayChanges"]>();
  for (const c of traffic.birthdayChanges) changes.set(c.memberId, [...(changes.get(c.memberId) ?? []), c]);

  for (let dayStart = traffic.start; dayStart < traffic.end; dayStart += DAY) {
    const dayEnd = dayStart + DAY;
    const evaluating = dayStart >= traffic.evaluateFrom;
    let shop: ShopBaseline | null = null;
    if (evaluating && detection) {
      const started = performance.now();
      while (orders[baselineTail].at < dayStart - t.velocity.baselineDays * DAY) baselineTail++;
      shop = shopBaseline(orders.slice(baselineTail, orderIndex), t.largeOrder.shopPercentile);
      baselineMs += performance.now() - started;
    }

    const pathStarted = performance.now();
    for (; orderIndex < orders.length && orders[orderIndex].at < dayEnd; orderIndex++) {
      const order = orders[orderIndex];
      while (orders[pulseTail].at <= order.at - DAY) {
        const left = orders[pulseTail++].memberId;
        const n = (pulseCounts.get(left) ?? 1) - 1;
        if (n) pulseCounts.set(left, n);
        else pulseCounts.delete(left);
      }
      pulse.orders = orderIndex - pulseTail;
      pulse.members = pulseCounts.size;
      const past = history.get(order.memberId) ?? [];
      if (shop) {
        const started = performance.now();
        const decision = evaluateEarn(
          { order, history: past, earlierFlaggedOrders: flaggedBefore.get(order.memberId) ?? 0, shop, pulse },
          t,
        );
        evaluateMs += performance.now() - started;
        evaluations++;
        if (decision.hold) held++;
        for (const signal of decision.signals) flags.push({ at: order.at, signal });
      }
      if (order.redemptionFlag) flaggedBefore.set(order.memberId, (flaggedBefore.get(order.memberId) ?? 0) + 1);
      past.push(order);
      history.set(order.memberId, past);
      moneyOf(order.memberId).earns.push(order);
      pulseCounts.set(order.memberId, (pulseCounts.get(order.memberId) ?? 0) + 1);
    }
    earnPathMs += performance.now() - pathStarted;

    for (
      ;
      bonusIndex < traffic.birthdayBonuses.length && traffic.birthdayBonuses[bonusIndex].at < dayEnd;
      bonusIndex++
    ) {
      const bonus = traffic.birthdayBonuses[bonusIndex];
      if (evaluating && detection && bonus.at >= traffic.evaluateFrom) {
        const decision = evaluateBirthdayBonus(
          {
            memberId: bonus.memberId,
            now: bonus.at,
            lastBonusAt: lastBonus.get(bonus.memberId) ?? null,
            changes: (changes.get(bonus.memberId) ?? []).filter((c) => c.at <= bonus.at),
          },
          t,
        );
        for (const signal of decision.signals) flags.push({ at: bonus.at, signal });
      }
      lastBonus.set(bonus.memberId, bonus.at);
    }

    // Midnight: the shop-wide scan over what happened until now.
    for (
      ;
      redemptionIndex < traffic.redemptions.length && traffic.redemptions[redemptionIndex].at < dayEnd;
      redemptionIndex++
    ) {
      const r = traffic.redemptions[redemptionIndex];
      moneyOf(r.memberId).redemptions.push(r);
    }
    const refunded = new Set<string>();
    for (; refundIndex < traffic.refunds.length && traffic.refunds[refundIndex].at < dayEnd; refundIndex++) {
      const r = traffic.refunds[refundIndex];
      moneyOf(r.memberId).refunds.push(r);
      refunded.add(r.memberId);
    }
    while (adjustmentIndex < traffic.adjustments.length && traffic.adjustments[adjustmentIndex].at < dayEnd)
      adjustmentIndex++;
    if (!evaluating || !detection) continue;
    const signupLookback = dayEnd - t.signupFarming.windowHours * HOUR - DAY;
    const signals = scanShop(
      {
        now: dayEnd,
        money: [...refunded].map((memberId) => ({ memberId, ...moneyOf(memberId) })),
        newMembers: traffic.members.filter((m) => m.createdAt > signupLookback && m.createdAt <= dayEnd),
        adjustments: traffic.adjustments.slice(0, adjustmentIndex),
        staffIds: traffic.staffIds,
      },
      t,
    );
    for (const signal of signals) flags.push({ at: dayEnd, signal });
  }
  return { flags, evaluations, evaluateMs, earnPathMs, baselineMs, held };
}

export interface Quality {
  rule: RuleId;
  labelled: number;
  found: number;
  flagged: number;
  falsePositives: number;
  precision: number;
  recall: number;
}

export const RULES: RuleId[] = [
  "velocity",
  "large_order",
  "redeem_refund",
  "signup_farming",
  "flagged_redemption",
  "birthday_rebonus",
  "staff_outlier",
];

/** What a rule's flag is about: the unit its precision and recall are counted in. */
export function subjects(signal: Signal): string[] {
  switch (signal.rule) {
    case "large_order":
    case "flagged_redemption":
      return signal.evidence.orderIds.slice(-1);
    case "staff_outlier":
      return signal.evidence.staffIds;
    case "signup_farming":
      return signal.evidence.memberIds;
    default:
      return signal.evidence.memberIds.slice(0, 1);
  }
}

/**
 * Precision and recall per rule, counted in subjects (a member, an order, a staff member): a flag is right when its
 * subject is labelled for that rule and it came while the abuse was on; a flag on the same subject outside that
 * time counts as a false positive of its own. Only flags that hold (score at the hold level) count.
 */
export function quality(traffic: Traffic, flags: readonly Flag[], t: Thresholds = DEFAULT_THRESHOLDS): Quality[] {
  return RULES.map((rule) => {
    const labels = new Map(traffic.labels.filter((l) => l.rule === rule).map((l) => [l.subject, l]));
    const right = new Set<string>();
    const wrong = new Set<string>();
    for (const { at, signal } of flags) {
      if (signal.rule !== rule || signal.score < t.holdAtScore) continue;
      for (const subject of subjects(signal)) {
        const label = labels.get(subject);
        if (label && at >= label.from && at <= label.to) right.add(subject);
        else wrong.add(label ? `${subject}@${at}` : subject);
      }
    }
    const flagged = right.size + wrong.size;
    return {
      rule,
      labelled: labels.size,
      found: right.size,
      flagged,
      falsePositives: wrong.size,
      precision: flagged ? right.size / flagged : 1,
      recall: labels.size ? right.size / labels.size : 1,
    };
  });
}

export function table(rows: readonly Quality[]): string {
  const lines = ["rule               | labelled | flagged | found | false + | precision | recall"];
  for (const r of rows) {
    lines.push(
      `${r.rule.padEnd(18)} | ${String(r.labelled).padStart(8)} | ${String(r.flagged).padStart(7)} | ${String(r.found).padStart(5)} | ${String(r.falsePositives).padStart(7)} | ${r.precision.toFixed(2).padStart(9)} | ${r.recall.toFixed(2).padStart(6)}`,
    );
  }
  return lines.join("\n");
}
