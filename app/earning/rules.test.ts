import { describe, expect, it } from "vitest";
import { calculateEarn, holdoutCampaigns, type OrderLine } from "./earning";
import { explainCalculation } from "./explanation";
import { defaultProgram, type ProgramSettings } from "../program/program";
import { refundWeight, reversedPointsTarget } from "./reversal";
import { campaignApplies, localClock, type Campaign, type EarnContext } from "./rules";

const line = (id: string, price: number, product: OrderLine["product"] = {}, quantity = 1): OrderLine => ({
  id,
  quantity,
  unitPriceMinor: price,
  discountMinor: 0,
  taxMinor: 0,
  giftCard: false,
  product,
});
const tokyo = (iso: string): EarnContext => ({
  placedAt: new Date(iso),
  timezone: "Asia/Tokyo",
  customerTags: [],
  tierId: null,
  tierExtraPercent: 0,
});
const program = (over: Partial<ProgramSettings>): ProgramSettings => ({ ...defaultProgram("JPY"), ...over });
const order = (...lines: OrderLine[]) => ({ currency: "JPY", taxesIncluded: false, lines });

const doubleTea: Campaign = {
  id: "c1",
  name: "Tea week ×2",
  startsAt: "2026-12-01T00:00",
  endsAt: "2026-12-08T00:00",
  target: { productTags: ["tea"] },
  extraPercent: 100,
};

describe("multipliers, exclusions and campaigns", () => {
  it("a ×1.5 vendor multiplier: ¥2,000 of Kyoto Tea earns 30 points, the ¥1,000 mug beside it 10", () => {
    const calc = calculateEarn(
      order(line("tea", 2000, { vendor: "Kyoto Tea" }), line("mug", 1000, { vendor: "Arita" })),
      program({ rules: [{ id: "r1", name: "Kyoto Tea ×1.5", target: { vendors: ["Kyoto Tea"] }, extraPercent: 50 }] }),
    );
    expect(calc.points).toBe(40);
    expect(calc.lines[0]).toMatchObject({ percent: 150, boosts: [{ source: "Kyoto Tea ×1.5", percent: 50 }] });
  });

  it("an exclusion wins over any multiplier", () => {
    const calc = calculateEarn(
      order(line("sale", 5000, { productId: "p1", tags: ["sale"] })),
      program({
        rules: [
          { id: "r1", name: "Sale items earn nothing", target: { productTags: ["sale"] }, exclude: true },
          { id: "r2", name: "Everything ×2", target: {}, extraPercent: 100 },
        ],
      }),
    );
    expect(calc.points).toBe(0);
    expect(calc.lines[0]).toMatchObject({ excluded: "Sale items earn nothing", weight: 0 });
  });

  it("multipliers and campaigns add up (×1.5 and a ×2 campaign make ×2.5), whatever their order", () => {
    const rules = [{ id: "r1", name: "Tea ×1.5", target: { productTags: ["tea"] }, extraPercent: 50 }];
    const calc = calculateEarn(
      order(line("t", 1000, { tags: ["tea"] })),
      program({ rules, campaigns: [doubleTea] }),
      tokyo("2026-12-02T03:00:00Z"),
    );
    expect(calc.points).toBe(25);
    expect(calc.lines[0].percent).toBe(250);
  });

  it("a customer-tag multiplier applies only to customers with that tag", () => {
    const rules = [{ id: "r1", name: "VIP ×2", target: {}, customerTags: ["VIP"], extraPercent: 100 }];
    const vip = { ...tokyo("2026-12-02T03:00:00Z"), customerTags: ["VIP"] };
    expect(calculateEarn(order(line("a", 1000)), program({ rules }), vip).points).toBe(20);
    expect(calculateEarn(order(line("a", 1000)), program({ rules }), tokyo("2026-12-02T03:00:00Z")).points).toBe(10);
  });

  it("a campaign that starts at midnight in Tokyo covers 00:00 local (15:00 UTC the day before) and not a minute earlier", () => {
    expect(campaignApplies(doubleTea, tokyo("2026-11-30T15:00:00Z"))).toBe(true);
    expect(campaignApplies(doubleTea, tokyo("2026-11-30T14:59:00Z"))).toBe(false);
    expect(campaignApplies(doubleTea, tokyo("2026-12-07T14:59:00Z"))).toBe(true);
    expect(campaignApplies(doubleTea, tokyo("2026-12-07T15:00:00Z"))).toBe(false);
  });

  it("a lunch bonus on weekdays between 11:00 and 14:00 local time, across New York's DST change", () => {
    const lunch: Campaign = {
      ...doubleTea,
      startsAt: "2026-03-01T00:00",
      endsAt: "2026-04-01T00:00",
      weekdays: [1, 2, 3, 4, 5],
      hours: { from: "11:00", to: "14:00" },
    };
    const ny = (iso: string): EarnContext => ({ ...tokyo(iso), timezone: "America/New_York" });
    expect(campaignApplies(lunch, ny("2026-03-06T16:30:00Z"))).toBe(true); // Friday 11:30 EST
    expect(campaignApplies(lunch, ny("2026-03-09T15:30:00Z"))).toBe(true); // Monday 11:30 EDT
    expect(campaignApplies(lunch, ny("2026-03-09T14:30:00Z"))).toBe(false); // Monday 10:30 EDT
    expect(campaignApplies(lunch, ny("2026-03-07T16:30:00Z"))).toBe(false); // Saturday
    expect(localClock(new Date("2026-03-09T15:30:00Z"), "America/New_York")).toEqual({
      stamp: "2026-03-09T11:30",
      weekday: 1,
      time: "11:30",
    });
  });

  it("a fixed campaign bonus is added once per order after rounding", () => {
    const bonus: Campaign = { ...doubleTea, extraPercent: 0, bonusPoints: 100 };
    const calc = calculateEarn(
      order(line("t", 1050, { tags: ["tea"] })),
      program({ campaigns: [bonus] }),
      tokyo("2026-12-02T03:00:00Z"),
    );
    expect(calc).toMatchObject({ points: 110, bonuses: [{ source: "Tea week ×2", points: 100 }] });
  });

  it("refunding the multiplied line of an order takes back that line's multiplied points", () => {
    const rules = [{ id: "r1", name: "Tea ×3", target: { productTags: ["tea"] }, extraPercent: 200 }];
    const calc = calculateEarn(order(line("tea", 1000, { tags: ["tea"] }), line("mug", 1000)), program({ rules }));
    expect(calc.points).toBe(40); // 30 for the tea, 10 for the mug
    const total = calc.lines.reduce((sum, l) => sum + (l.weight ?? 0), 0);
    const teaBack = refundWeight(
      calc.lines,
      [{ lineItemId: "tea", quantity: 1, subtotalMinor: 1000, taxMinor: 0 }],
      false,
    );
    expect(reversedPointsTarget(calc.points, total, teaBack)).toBe(30);
    const mugBack = refundWeight(
      calc.lines,
      [{ lineItemId: "mug", quantity: 1, subtotalMinor: 1000, taxMinor: 0 }],
      false,
    );
    expect(reversedPointsTarget(calc.points, total, mugBack)).toBe(10);
  });
});

describe("drafts and control groups", () => {
  const inWeek = tokyo("2026-12-02T03:00:00Z");
  it("a draft campaign never applies, even inside its window", () => {
    expect(campaignApplies(doubleTea, inWeek)).toBe(true);
    expect(campaignApplies({ ...doubleTea, draft: true }, inWeek)).toBe(false);
  });

  it("a member held out of the campaign earns ¥2,000 of tea at ×1 (20 points), and the explanation says why", () => {
    const held = { ...doubleTea, holdoutPercent: 50 };
    const context = { ...inWeek, heldOutCampaignIds: new Set(["c1"]) };
    expect(campaignApplies(held, context)).toBe(false);
    const calc = calculateEarn(order(line("tea", 2000, { tags: ["tea"] })), program({ campaigns: [held] }), context);
    expect(calc.points).toBe(20);
    expect(calc.heldOut).toEqual([{ campaignId: "c1", source: "Tea week ×2" }]);
    expect(explainCalculation(calc, "en")).toContain("Campaign Tea week ×2: control group, not applied");
    const treated = calculateEarn(order(line("tea", 2000, { tags: ["tea"] })), program({ campaigns: [held] }), inWeek);
    expect(treated.points).toBe(40);
    expect(treated.heldOut).toBeUndefined();
  });

  it("only campaigns with a control group that cover the order ask for an assignment", () => {
    const settings = program({
      campaigns: [
        { ...doubleTea, holdoutPercent: 10 },
        { ...doubleTea, id: "c2" },
      ],
    });
    expect(holdoutCampaigns(settings, inWeek).map((campaign) => campaign.id)).toEqual(["c1"]);
    expect(holdoutCampaigns(settings, tokyo("2026-12-20T03:00:00Z"))).toEqual([]);
  });
});
