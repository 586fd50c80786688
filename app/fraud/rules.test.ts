import { describe, expect, it } from "vitest";
import { birthdayRebonus } from "./birthday";
import { decide, evaluateBirthdayBonus, evaluateEarn, scanShop } from "./detect";
import { flaggedRedemption } from "./flagged-redemption";
import { largeOrder } from "./large-order";
import { type EarnOrder, shopBaseline } from "./model";
import { redeemThenRefund } from "./redeem-refund";
import { DAY_MS, HOUR_MS } from "./signals";
import { signupFarming } from "./signup-farming";
import { staffOutliers } from "./staff-outlier";
import { DEFAULT_THRESHOLDS as T } from "./thresholds";
import { velocity } from "./velocity";

const NOW = Date.UTC(2026, 10, 30, 12);
let seq = 0;
const order = (memberId: string, at: number, amountMinor = 5_000): EarnOrder => ({
  orderId: `o${++seq}`,
  memberId,
  at,
  amountMinor,
  points: Math.floor(amountMinor / 100),
});

/** A shop of 600 members each buying once every few days over four weeks, ¥2,000–¥9,000 baskets. */
const ordinary: EarnOrder[] = Array.from({ length: 600 }, (_, m) =>
  Array.from({ length: 4 }, (_, k) =>
    order(`m${m}`, NOW - (m % 27) * DAY_MS - k * 6 * DAY_MS - HOUR_MS, 2_000 + ((m * 7 + k * 13) % 8) * 1_000),
  ),
).flat();
const shop = shopBaseline(ordinary, T.largeOrder.shopPercentile);
const calm = { orders: 120, members: 120 };

describe("earn velocity", () => {
  it("flags nine orders in an hour in a shop where a buyer places one", () => {
    const burst = Array.from({ length: 8 }, (_, i) => order("farmer", NOW - (i + 1) * 5 * 60_000, 3_000));
    const s = velocity(order("farmer", NOW, 3_000), burst.reverse(), shop, calm, T.velocity);
    expect(s?.rule).toBe("velocity");
    expect(s?.code).toBe("fraud.velocity.orders_hour");
    expect(s?.evidence.figures.orders).toBe(9);
    expect(s?.evidence.orderIds).toHaveLength(9);
    expect(s?.score).toBeGreaterThanOrEqual(1);
  });

  it("does not flag a member's second order of the day", () => {
    expect(velocity(order("m1", NOW), [order("m1", NOW - 3 * HOUR_MS)], shop, calm, T.velocity)).toBeNull();
  });

  it("does not flag a wholesale buyer's usual busy day", () => {
    // Six orders a day, most days, for four weeks: today's six are their usual.
    const history = Array.from({ length: 20 }, (_, d) =>
      Array.from({ length: 6 }, (_, k) => order("wholesale", NOW - (d + 1) * DAY_MS + k * HOUR_MS, 120_000)),
    )
      .flat()
      .concat(Array.from({ length: 5 }, (_, k) => order("wholesale", NOW - (5 - k) * 2 * HOUR_MS + 60_000, 120_000)))
      .sort((a, b) => a.at - b.at);
    expect(velocity(order("wholesale", NOW, 120_000), history, shop, calm, T.velocity)).toBeNull();
  });

  it("raises the bar when every buyer buys more (a sale), and still flags a script", () => {
    const five = Array.from({ length: 4 }, (_, i) => order("eager", NOW - (i + 1) * 2 * HOUR_MS));
    expect(velocity(order("eager", NOW), five, shop, calm, T.velocity)).not.toBeNull();
    const sale = { orders: 120 * 3, members: 120 };
    expect(velocity(order("eager", NOW), five, shop, sale, T.velocity)).toBeNull();
    const script = Array.from({ length: 15 }, (_, i) => order("bot", NOW - (i + 1) * 60_000));
    expect(velocity(order("bot", NOW), script, shop, sale, T.velocity)).not.toBeNull();
  });
});

describe("an order far larger than the member's history", () => {
  const history = [4_000, 5_000, 4_500, 6_000].map((a, i) => order("m7", NOW - (i + 1) * 10 * DAY_MS, a));

  it("flags ¥300,000 from a member whose usual basket is ¥5,000", () => {
    const s = largeOrder(order("m7", NOW, 300_000), history, shop, T.largeOrder);
    expect(s?.code).toBe("fraud.large_order.member_history");
    expect(s?.evidence.figures.ratio).toBeGreaterThan(50);
  });

  it("does not flag a member's ¥15,000 treat", () => {
    expect(largeOrder(order("m7", NOW, 15_000), history, shop, T.largeOrder)).toBeNull();
  });

  it("judges a first order against the shop: ¥1,000,000 is flagged, ¥30,000 is not", () => {
    expect(largeOrder(order("new", NOW, 1_000_000), [], shop, T.largeOrder)?.code).toBe(
      "fraud.large_order.shop_distribution",
    );
    expect(largeOrder(order("new", NOW, 30_000), [], shop, T.largeOrder)).toBeNull();
  });
});

describe("redeem then refund", () => {
  const earns = [1, 2, 3].map((i) => ({ orderId: `e${i}`, at: NOW - (40 - i * 10) * DAY_MS, points: 500 }));

  it("flags three refunds of orders whose points were already spent", () => {
    const s = redeemThenRefund(
      {
        memberId: "m9",
        earns,
        redemptions: earns.map((e) => ({ at: e.at + DAY_MS, points: 500 })),
        refunds: earns.map((e) => ({ orderId: e.orderId, at: e.at + 3 * DAY_MS })),
      },
      NOW,
      T.redeemRefund,
    );
    expect(s?.evidence.figures.refunds).toBe(3);
    expect(s?.evidence.orderIds).toEqual(["e1", "e2", "e3"]);
  });

  it("does not flag refunds when nothing was spent in between", () => {
    const s = redeemThenRefund(
      {
        memberId: "m9",
        earns,
        redemptions: [{ at: NOW, points: 500 }],
        refunds: earns.map((e) => ({ orderId: e.orderId, at: e.at + 3 * DAY_MS })),
      },
      NOW,
      T.redeemRefund,
    );
    expect(s).toBeNull();
  });
});

describe("signup-bonus farming", () => {
  const at = (h: number) => NOW - h * HOUR_MS;
  it("flags four accounts in a day sharing a Gmail local part with dots and +tags", () => {
    const members = ["hanako.sato", "hanakosato+1", "h.anako.sato+x", "hanakosato+2"].map((local, i) => ({
      memberId: `f${i}`,
      createdAt: at(i * 2),
      email: `${local}@gmail.com`,
    }));
    const [s] = signupFarming(members, T.signupFarming);
    expect(s.code).toBe("fraud.signup_farming.email");
    expect(s.evidence.memberIds).toEqual(["f0", "f1", "f2", "f3"]);
  });

  it("merges accounts sharing a phone in different formats with one sharing the address", () => {
    const members = [
      { memberId: "a", createdAt: at(1), phone: "090-1111-2222", address: "東京都港区芝公園4丁目2番8号" },
      { memberId: "b", createdAt: at(2), phone: "+81 90 1111 2222" },
      { memberId: "c", createdAt: at(3), phone: "09011112222" },
      { memberId: "d", createdAt: at(4), address: "東京都港区芝公園 4-2-8" },
      { memberId: "e", createdAt: at(5), address: "東京都港区芝公園４−２−８" },
    ];
    const out = signupFarming(members, T.signupFarming);
    expect(out).toHaveLength(1);
    expect(out[0].evidence.memberIds).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("does not flag a household of two, nor three sharing an address a week apart", () => {
    const members = [
      { memberId: "x", createdAt: at(1), address: "大阪府大阪市北区梅田1-1-1", email: "taro.tanaka@gmail.com" },
      { memberId: "y", createdAt: at(2), address: "大阪府大阪市北区梅田1-1-1", email: "hanako.tanaka@gmail.com" },
      { memberId: "z", createdAt: at(24 * 8), address: "大阪府大阪市北区梅田1-1-1" },
    ];
    expect(signupFarming(members, T.signupFarming)).toEqual([]);
  });
});

describe("flagged redemptions", () => {
  it("flags another customer's reservation, more strongly on a repeat", () => {
    const order = {
      orderId: "o1",
      memberId: "m1",
      redemptionFlag: "points discount applied with another customer's reservation",
    };
    expect(flaggedRedemption(order)?.score).toBe(3);
    expect(flaggedRedemption(order, 2)?.score).toBe(4);
  });

  it("shows an expired reservation without holding, and ignores an order with no flag", () => {
    const expired = flaggedRedemption({
      orderId: "o2",
      memberId: "m1",
      redemptionFlag: "points discount applied with a expired reservation",
    });
    expect(expired?.score).toBeLessThan(T.holdAtScore);
    const again = flaggedRedemption(
      { orderId: "o5", memberId: "m1", redemptionFlag: "points discount applied with a expired reservation" },
      3,
    );
    expect(again?.score).toBeLessThan(T.holdAtScore);
    expect(flaggedRedemption({ orderId: "o3", memberId: "m1", redemptionFlag: null })).toBeNull();
    expect(
      flaggedRedemption({
        orderId: "o4",
        memberId: "m1",
        redemptionFlag: "unknown reservation on an order without points discount",
      }),
    ).toBeNull();
  });
});

describe("birthday changed to collect the bonus again", () => {
  it("holds a second bonus 40 days after the first when the birthday was changed in between", () => {
    const s = birthdayRebonus(
      {
        memberId: "m1",
        now: NOW,
        lastBonusAt: NOW - 40 * DAY_MS,
        changes: [{ at: NOW - 30 * DAY_MS, from: "10-21", to: "11-30" }],
      },
      T.birthday,
    );
    expect(s?.code).toBe("fraud.birthday_rebonus.changed_after_bonus");
  });

  it("does not flag a yearly bonus, nor a birthday set before any bonus", () => {
    expect(
      birthdayRebonus(
        {
          memberId: "m1",
          now: NOW,
          lastBonusAt: NOW - 365 * DAY_MS,
          changes: [{ at: NOW - 30 * DAY_MS, from: "11-29", to: "11-30" }],
        },
        T.birthday,
      ),
    ).toBeNull();
    expect(
      birthdayRebonus(
        { memberId: "m1", now: NOW, lastBonusAt: null, changes: [{ at: NOW - 30 * DAY_MS, from: null, to: "11-30" }] },
        T.birthday,
      ),
    ).toBeNull();
  });
});

describe("staff outliers", () => {
  const staff = ["s1", "s2", "s3", "s4", "s5"];
  const ordinaryAdjustments = staff.flatMap((s, i) =>
    Array.from({ length: 8 + i * 3 }, (_, k) => ({
      staffId: s,
      memberId: `m${k}`,
      at: NOW - (k + 1) * DAY_MS,
      points: 200 + 50 * i,
    })),
  );

  it("flags one staff member granting 30 adjustments of 5,000 points", () => {
    const abuse = Array.from({ length: 30 }, (_, k) => ({
      staffId: "s3",
      memberId: `friend${k % 3}`,
      at: NOW - k * HOUR_MS,
      points: 5_000,
    }));
    const out = staffOutliers([...ordinaryAdjustments, ...abuse], staff, NOW, T.staffOutlier);
    expect(out.map((s) => s.evidence.staffIds[0])).toEqual(["s3"]);
  });

  it("does not flag a full-timer doing three times a part-timer's adjustments", () => {
    expect(staffOutliers(ordinaryAdjustments, staff, NOW, T.staffOutlier)).toEqual([]);
  });
});

describe("decisions", () => {
  it("an ordinary order earns without a hold; a flagged one is held with its signals", () => {
    const plain = evaluateEarn({ order: order("m3", NOW), history: [], shop, pulse: calm }, T);
    expect(plain).toEqual({ hold: false, block: false, score: 0, signals: [] });
    const flagged = evaluateEarn(
      {
        order: {
          ...order("m3", NOW, 2_000_000),
          redemptionFlag: "points discount applied without a known reservation",
        },
        history: [],
        shop,
        pulse: calm,
      },
      T,
    );
    expect(flagged.hold).toBe(true);
    expect(flagged.signals.map((s) => s.rule).sort()).toEqual(["flagged_redemption", "large_order"]);
    expect(flagged.block).toBe(false);
  });

  it("blocks only when the merchant set a block level and the score reaches it", () => {
    const s = flaggedRedemption({
      orderId: "o",
      memberId: "m",
      redemptionFlag: "points discount applied with another customer's reservation",
    });
    expect(s).not.toBeNull();
    expect(decide([s!], { ...T, blockAtScore: 3 }).block).toBe(true);
    expect(decide([s!], { ...T, blockAtScore: 5 }).block).toBe(false);
  });

  it("a birthday bonus check and the shop scan use the same thresholds", () => {
    expect(evaluateBirthdayBonus({ memberId: "m", now: NOW, lastBonusAt: null, changes: [] }, T).hold).toBe(false);
    expect(scanShop({ now: NOW, money: [], newMembers: [], adjustments: [], staffIds: [] }, T)).toEqual([]);
  });
});
