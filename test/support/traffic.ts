/**
 * One shop's traffic, generated: ordinary members with log-normal baskets and Poisson purchase timing, a weekly
 * rhythm and a holiday sale at several times the usual volume, wholesale-like heavy buyers, staff making ordinary
 * adjustments; and injected abuse of every kind the fraud rules look for, each labelled with the rule that should
 * flag it (the ground truth). Seeded: the same options give the same shop, byte for byte.
 *
 * The first `warmupDays` are the history the app syncs at install: nothing is evaluated, and no abuse is injected
 * there. Times are epoch milliseconds; days start at midnight in Tokyo.
 */
import type { RuleId } from "../../app/fraud/signals";

export interface TrafficOptions {
  seed: number;
  members: number;
  days: number;
  warmupDays: number;
  wholesale: number;
  staff: number;
  /** Copies of each kind of injected abuse (signup farms, velocity bursts…). */
  abuse: number;
}

export const DEFAULT_TRAFFIC: TrafficOptions = {
  seed: 20261130,
  members: 3_000,
  days: 60,
  warmupDays: 21,
  wholesale: 5,
  staff: 8,
  abuse: 6,
};

export interface TrafficOrder {
  orderId: string;
  memberId: string;
  at: number;
  amountMinor: number;
  points: number;
  redemptionFlag: string | null;
}

export interface TrafficMember {
  memberId: string;
  createdAt: number;
  email: string;
  phone: string;
  address: string;
  kind: "ordinary" | "wholesale" | "abuser";
}

/** What a rule should flag: a member, an order or a staff member, from the moment the abuse started. */
export interface Label {
  rule: RuleId;
  subject: string;
  from: number;
  to: number;
}

export interface Traffic {
  options: TrafficOptions;
  start: number;
  evaluateFrom: number;
  end: number;
  holiday: { from: number; to: number };
  members: TrafficMember[];
  orders: TrafficOrder[];
  redemptions: { memberId: string; at: number; points: number; orderId: string | null }[];
  refunds: { memberId: string; orderId: string; at: number }[];
  birthdayBonuses: { memberId: string; at: number }[];
  birthdayChanges: { memberId: string; at: number; from: string | null; to: string }[];
  adjustments: { staffId: string; memberId: string; at: number; points: number }[];
  staffIds: string[];
  labels: Label[];
  wholesaleMemberIds: string[];
}

const HOUR = 3_600_000;
const DAY = 86_400_000;
/** 2026-09-01 00:00 in Tokyo. */
const START = Date.UTC(2026, 8, 1) - 9 * HOUR;
/** Sunday first: weekends sell more. */
const WEEKDAY = [1.35, 0.85, 0.85, 0.9, 0.95, 1.1, 1.4];
/** Orders by hour of day in Tokyo: lunchtime and evening. */
const HOURLY = [
  0.3, 0.15, 0.1, 0.1, 0.1, 0.2, 0.4, 0.7, 0.9, 1, 1.1, 1.2, 1.5, 1.2, 1, 1, 1.1, 1.2, 1.4, 1.7, 2, 2, 1.6, 0.8,
];
const GIVEN =
  "haruto yuto sota yuki hayato haruki ryusei koki sora riku aoi hina yui mei sakura rin yuna ema mio akari kaito ren daiki takumi shota kenta naoki yuta kazuki mao nanami airi misaki ayaka kanon moe saki hikari kotone miyu".split(
    " ",
  );
const FAMILY =
  "sato suzuki takahashi tanaka ito watanabe yamamoto nakamura kobayashi kato yoshida yamada sasaki yamaguchi matsumoto inoue kimura hayashi shimizu yamazaki mori abe ikeda hashimoto yamashita ishikawa nakajima maeda fujita ogawa goto okada hasegawa murakami kondo ishii saito sakamoto endo aoki".split(
    " ",
  );
const DOMAINS = [
  "gmail.com",
  "gmail.com",
  "gmail.com",
  "yahoo.co.jp",
  "yahoo.co.jp",
  "docomo.ne.jp",
  "icloud.com",
  "outlook.com",
];
const PLACES = [
  "東京都渋谷区神南",
  "東京都世田谷区三軒茶屋",
  "大阪府大阪市北区梅田",
  "神奈川県横浜市中区山下町",
  "愛知県名古屋市中区栄",
  "福岡県福岡市中央区天神",
  "北海道札幌市中央区北一条西",
  "京都府京都市中京区河原町",
];

/** mulberry32: a small, fast, well-distributed 32-bit generator. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateTraffic(options: Partial<TrafficOptions> = {}): Traffic {
  const o = { ...DEFAULT_TRAFFIC, ...options };
  const rand = mulberry32(o.seed);
  const uniform = (a: number, b: number) => a + (b - a) * rand();
  const int = (a: number, b: number) => Math.floor(uniform(a, b + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const logNormal = (medianValue: number, sigma: number) => medianValue * Math.exp(sigma * normal());
  const poisson = (lambda: number) => {
    const l = Math.exp(-lambda);
    let k = 0;
    let p = rand();
    while (p > l) {
      k++;
      p *= rand();
    }
    return k;
  };
  const hourCdf = HOURLY.map(
    (
      (sum) => (w) =>
        (sum += w)
    )(0),
  ).map((c, _, all) => c / all[all.length - 1]);
  const timeOfDay = (dayStart: number) => {
    const r = rand();
    const hour = hourCdf.findIndex((c) => r <= c);
    return dayStart + hour * HOUR + Math.floor(rand() * HOUR);
  };

  const start = START;
  const end = start + o.days * DAY;
  const evaluateFrom = start + o.warmupDays * DAY;
  const holidayDay = Math.floor(o.warmupDays + (o.days - o.warmupDays) * 0.6);
  const holiday = { from: start + holidayDay * DAY, to: start + (holidayDay + 4) * DAY };
  const dayFactor = (d: number) => {
    const weekday = new Date(start + d * DAY + 9 * HOUR).getUTCDay();
    const inHoliday = d >= holidayDay && d < holidayDay + 4;
    return WEEKDAY[weekday] * (inHoliday ? [3, 5, 4, 3][d - holidayDay] : 1);
  };

  const t: Traffic = {
    options: o,
    start,
    evaluateFrom,
    end,
    holiday,
    members: [],
    orders: [],
    redemptions: [],
    refunds: [],
    birthdayBonuses: [],
    birthdayChanges: [],
    adjustments: [],
    staffIds: [],
    labels: [],
    wholesaleMemberIds: [],
  };
  let orderSeq = 0;
  let memberSeq = 0;
  const identity = () => {
    const given = pick(GIVEN);
    const family = pick(FAMILY);
    const sep = pick(["", ".", "_", "-"]);
    const digits = rand() < 0.5 ? String(int(1, 9999)) : "";
    const email = `${rand() < 0.5 ? given + sep + family : family + sep + given}${digits}@${pick(DOMAINS)}`;
    const phone = `0${pick(["90", "80", "70"])}-${int(1000, 9999)}-${int(1000, 9999)}`;
    const address = `${int(100, 999)}-${int(1000, 9999)} ${pick(PLACES)}${int(1, 9)}-${int(1, 30)}-${int(1, 20)}`;
    return { email, phone, address };
  };
  const member = (kind: TrafficMember["kind"], createdAt: number, who = identity()): TrafficMember => {
    const m = { memberId: `c${++memberSeq}`, createdAt, kind, ...who };
    t.members.push(m);
    return m;
  };
  const balance = new Map<string, number>();
  const place = (memberId: string, at: number, amount: number, flag: string | null = null): TrafficOrder => {
    const amountMinor = Math.max(300, Math.round(amount / 10) * 10);
    const order = {
      orderId: `o${++orderSeq}`,
      memberId,
      at,
      amountMinor,
      points: Math.floor(amountMinor / 100),
      redemptionFlag: flag,
    };
    t.orders.push(order);
    return order;
  };
  const ordinaryOrder = (memberId: string, at: number, usual: number) => {
    const bal = balance.get(memberId) ?? 0;
    let flag: string | null = null;
    if (bal >= 300 && rand() < 0.25) {
      t.redemptions.push({ memberId, at, points: bal, orderId: `o${orderSeq + 1}` });
      balance.set(memberId, 0);
      // A slow checkout now and then: the reservation expired before payment. Innocent, shown but not held.
      if (rand() < 0.05) flag = "points discount applied with a expired reservation";
    }
    const order = place(memberId, at, logNormal(usual, 0.45), flag);
    balance.set(memberId, (balance.get(memberId) ?? 0) + order.points);
    // Ordinary returns: 4% of orders, within three weeks.
    if (rand() < 0.04) {
      const refundAt = at + uniform(2, 20) * DAY;
      if (refundAt < end) t.refunds.push({ memberId, orderId: order.orderId, at: refundAt });
    }
  };
  const birthdayOf = (m: TrafficMember, date: string) => {
    // The bonus on the birthday at 09:00 in Tokyo, this year and (for older members) last year.
    const [month, day] = date.split("-").map(Number);
    for (const year of [2025, 2026]) {
      const at = Date.UTC(year, month - 1, day);
      if (at > m.createdAt && at < end) t.birthdayBonuses.push({ memberId: m.memberId, at });
    }
  };
  const mmdd = (at: number) => new Date(at + 9 * HOUR).toISOString().slice(5, 10);

  // Ordinary members: most joined before the window, some during it (about 7 a day).
  for (let i = 0; i < o.members; i++) {
    const joinsDuring = rand() < 0.15;
    const createdAt = joinsDuring ? start + uniform(0, o.days) * DAY : start - uniform(1, 700) * DAY;
    const household = joinsDuring && rand() < 0.04 ? t.members[t.members.length - 1] : null;
    const who = identity();
    const m = member("ordinary", createdAt, household ? { ...who, address: household.address } : who);
    const rate = Math.min(0.5, logNormal(1 / 25, 0.7));
    const usual = logNormal(4_500, 0.5);
    for (let d = 0; d < o.days; d++) {
      const dayStart = start + d * DAY;
      const n = poisson(rate * dayFactor(d));
      const times = Array.from({ length: n }, () => timeOfDay(dayStart)).filter((at) => at > createdAt);
      for (const at of times.sort((a, b) => a - b)) ordinaryOrder(m.memberId, at, usual);
    }
    if (rand() < 0.4) {
      const birthday = mmdd(start + uniform(-200, 165) * DAY);
      birthdayOf(m, birthday);
      // A few correct their birthday: new members before any bonus, older ones long after the last.
      if (rand() < 0.02) {
        const at = joinsDuring ? createdAt + uniform(0, 3) * DAY : start + uniform(0, o.days) * DAY;
        if (at < end)
          t.birthdayChanges.push({ memberId: m.memberId, at, from: birthday, to: mmdd(at + uniform(30, 300) * DAY) });
      }
    }
  }

  // Wholesale-like buyers: several big orders most business days, from before the window.
  for (let i = 0; i < o.wholesale; i++) {
    const m = member("wholesale", start - 400 * DAY);
    t.wholesaleMemberIds.push(m.memberId);
    const usual = logNormal(120_000, 0.3);
    for (let d = 0; d < o.days; d++) {
      const weekday = new Date(start + d * DAY + 9 * HOUR).getUTCDay();
      const n = poisson(weekday === 0 || weekday === 6 ? 0.5 : uniform(2, 6));
      for (let k = 0; k < n; k++) {
        const order = place(m.memberId, start + d * DAY + uniform(9, 18) * HOUR, logNormal(usual, 0.4));
        if (rand() < 0.03) t.refunds.push({ memberId: m.memberId, orderId: order.orderId, at: order.at + 5 * DAY });
      }
    }
  }

  // Staff: ordinary adjustments (goodwill, corrections), some busier than others.
  const ordinaryMembers = t.members.filter((m) => m.kind === "ordinary" && m.createdAt < start);
  for (let s = 0; s < o.staff; s++) {
    const staffId = `staff${s + 1}`;
    t.staffIds.push(staffId);
    const rate = [0.4, 0.8, 1.2, 1.6, 0.6, 1, 0.3, 0.9][s % 8];
    for (let d = 0; d < o.days; d++) {
      for (let k = poisson(rate); k > 0; k--) {
        const points = Math.round(logNormal(300, 0.8)) * (rand() < 0.2 ? -1 : 1);
        t.adjustments.push({
          staffId,
          memberId: pick(ordinaryMembers).memberId,
          at: start + d * DAY + uniform(10, 19) * HOUR,
          points,
        });
      }
    }
  }

  // Injected abuse, in the evaluated days only.
  const evalDays = o.days - o.warmupDays;
  const when = (lo = 0, hi = 1) => evaluateFrom + uniform(lo, hi) * (evalDays - 2) * DAY;
  const label = (rule: RuleId, subject: string, from: number, to = from) => t.labels.push({ rule, subject, from, to });

  for (let i = 0; i < o.abuse; i++) {
    // a. Velocity: a script placing 8–15 small orders within one to two and a half hours (one during the sale).
    const at0 = i === 0 ? holiday.from + uniform(1, 3) * DAY : when();
    const bot = member("abuser", at0 - uniform(1, 20) * DAY);
    const n = int(8, 15);
    const span = uniform(1, 2.5) * HOUR;
    for (let k = 0; k < n; k++) place(bot.memberId, at0 + (span * k) / n, uniform(1_000, 3_000));
    label("velocity", bot.memberId, at0, at0 + span);

    // b. A large order from a member with a modest history, and a huge first order from a new member.
    const buyer = member("abuser", start - 100 * DAY);
    const usual = logNormal(4_000, 0.3);
    for (let k = 0; k < 4; k++) place(buyer.memberId, start + uniform(0, o.warmupDays) * DAY, logNormal(usual, 0.3));
    const big = place(buyer.memberId, when(), usual * uniform(30, 100));
    label("large_order", big.orderId, big.at);
    if (i % 2 === 0) {
      const fresh = member("abuser", when());
      const first = place(fresh.memberId, fresh.createdAt + HOUR, uniform(500_000, 1_500_000));
      label("large_order", first.orderId, first.at);
    }

    // c. Redeem then refund, four times over five weeks.
    const refunder = member("abuser", start - 200 * DAY);
    let at = when(0, 0.1);
    const firstRefund = at;
    for (let k = 0; k < 4; k++) {
      const earn = place(refunder.memberId, at, uniform(20_000, 40_000));
      const spendAt = earn.at + uniform(1, 3) * DAY;
      const spendOrder = place(refunder.memberId, spendAt, uniform(3_000, 6_000));
      t.redemptions.push({
        memberId: refunder.memberId,
        at: spendAt,
        points: earn.points,
        orderId: spendOrder.orderId,
      });
      const refundAt = spendAt + uniform(2, 5) * DAY;
      t.refunds.push({ memberId: refunder.memberId, orderId: earn.orderId, at: refundAt });
      at = refundAt + uniform(1, 4) * DAY;
    }
    label("redeem_refund", refunder.memberId, firstRefund, at + 60 * DAY);

    // d. Signup farms: 4–8 accounts within hours, sharing an email pattern, an address or a phone.
    const farmAt = when();
    const size = int(4, 8);
    const given = pick(GIVEN);
    const family = pick(FAMILY);
    const phone = `080${int(10_000_000, 99_999_999)}`;
    const place0 = `${int(100, 999)}-${int(1000, 9999)} ${pick(PLACES)}${int(1, 9)}-${int(1, 30)}-${int(1, 20)}`;
    for (let k = 0; k < size; k++) {
      const who = identity();
      const variant = i % 4;
      if (variant === 0)
        who.email = `${[...`${given}${family}`].map((c, j) => (rand() < 0.2 && j ? `.${c}` : c)).join("")}+${k}@gmail.com`;
      if (variant === 1) who.email = `${given}.${family}${String(k + 1).padStart(2, "0")}@yahoo.co.jp`;
      if (variant === 2)
        who.address =
          k % 2 ? place0.replace(/(\d+)-(\d+)-(\d+)$/, "$1丁目$2番$3号") : place0.normalize("NFKC").replace(/-/g, "−");
      if (variant === 3)
        who.phone = [
          `${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`,
          `+81 ${phone.slice(1, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`,
          phone,
        ][k % 3];
      const farmer = member("abuser", farmAt + uniform(0, 10) * HOUR, who);
      label("signup_farming", farmer.memberId, farmer.createdAt, farmer.createdAt + 2 * DAY);
    }

    // e. A points discount paid with another customer's reservation, or with none at all.
    const cheat = pick(ordinaryMembers);
    const flags = [
      "points discount applied with another customer's reservation",
      "points discount applied without a known reservation",
      "points discount applied with a released reservation",
    ];
    const flagged = place(cheat.memberId, when(), uniform(3_000, 9_000), flags[i % flags.length]);
    label("flagged_redemption", flagged.orderId, flagged.at);

    // e'. A birthday changed to a date a few weeks after the last bonus, to collect it again.
    const collector = member("abuser", start - 300 * DAY);
    const firstBonus = evaluateFrom - uniform(0, 15) * DAY;
    t.birthdayBonuses.push({ memberId: collector.memberId, at: firstBonus });
    const changeAt = firstBonus + uniform(2, 6) * DAY;
    const again = Math.min(end - DAY, Math.max(evaluateFrom, changeAt) + uniform(5, 20) * DAY);
    t.birthdayChanges.push({ memberId: collector.memberId, at: changeAt, from: mmdd(firstBonus), to: mmdd(again) });
    t.birthdayBonuses.push({ memberId: collector.memberId, at: again });
    label("birthday_rebonus", collector.memberId, again);
  }

  // f. Staff outliers: a staff member granting large adjustments to a few friends, for about ten days; twice.
  for (let i = 0; i < Math.min(2, t.staffIds.length); i++) {
    const staffId = t.staffIds[(i * 2 + 1) % t.staffIds.length];
    const from = when(i * 0.5, i * 0.5 + 0.2);
    const friends = [pick(ordinaryMembers), pick(ordinaryMembers), pick(ordinaryMembers)];
    for (let k = 0; k < 25; k++) {
      t.adjustments.push({
        staffId,
        memberId: pick(friends).memberId,
        at: from + (k / 25) * 10 * DAY,
        points: int(3_000, 10_000),
      });
    }
    label("staff_outlier", staffId, from, from + 40 * DAY);
  }

  t.orders.sort((a, b) => a.at - b.at);
  t.redemptions.sort((a, b) => a.at - b.at);
  t.refunds.sort((a, b) => a.at - b.at);
  t.birthdayBonuses.sort((a, b) => a.at - b.at);
  t.birthdayChanges.sort((a, b) => a.at - b.at);
  t.adjustments.sort((a, b) => a.at - b.at);
  t.members.sort((a, b) => a.createdAt - b.createdAt);
  return t;
}
