import { vi } from "vitest";
import type { AccountPoints, AccountProfile, OrderPoints } from "../../../app/members/customer-account-api";

/** A member of a yen shop's program with 1 pt per ¥100, no tiers, an order of ¥5,400 in the passbook. */
export function accountPoints(over: Partial<AccountPoints> = {}): AccountPoints {
  return {
    program: {
      currency: "JPY",
      earnRate: { points: 1, perMinor: 100 },
      pointValueMinor: 1,
      signupBonus: 0,
      birthdayBonus: 100,
      actions: [],
      expiryDays: 365,
      tierBasis: "spend",
      tiers: [],
    },
    membership: { mode: "all", member: true, joinedAt: "2026-01-10T00:00:00Z", termsVersion: "1" },
    member: {
      available: 1254,
      pending: 54,
      debt: 0,
      expiringSoon: null,
      tier: null,
      nextTier: null,
      blocked: false,
    },
    tierExtraPercent: null,
    passbook: [
      {
        id: "3",
        at: "2026-11-20T03:00:00Z",
        kind: "earn",
        points: 54,
        balance: 1254,
        pending: true,
        orderName: "#1042",
        explanation: {
          currency: "JPY",
          baseMinor: 5400,
          rate: { points: 1, perMinor: 100 },
          boosts: [],
          bonuses: [],
        },
        campaign: null,
      },
      {
        id: "2",
        at: "2026-10-01T03:00:00Z",
        kind: "redeem",
        points: -500,
        balance: 1200,
        pending: false,
        orderName: "#1030",
        explanation: null,
        campaign: null,
      },
      {
        id: "1",
        at: "2026-09-01T03:00:00Z",
        kind: "adjust",
        points: 1700,
        balance: 1700,
        pending: false,
        orderName: null,
        explanation: null,
        campaign: null,
      },
    ],
    rewards: [{ id: "points-500", name: "", points: 500, amountMinor: 500, minimumSubtotalMinor: 0 }],
    codes: [{ code: "TSUMIKI-ABC", rewardName: "", points: 500, amountMinor: 500, expiresAt: "2026-12-31T15:00:00Z" }],
    ...over,
  };
}

export function accountProfile(over: Partial<AccountProfile> = {}): AccountProfile {
  return {
    membership: { mode: "join", member: true, joinedAt: "2026-01-10T00:00:00Z", termsVersion: "2026-11" },
    birthday: null,
    pointsNewsEmails: false,
    birthdayBonus: 100,
    onLeave: "keep",
    available: 1254,
    ...over,
  };
}

export function orderPoints(over: Partial<OrderPoints> = {}): OrderPoints {
  return {
    status: "recorded",
    orderName: "#1042",
    earned: 54,
    pending: 0,
    spent: 0,
    explanation: { currency: "JPY", baseMinor: 5400, rate: { points: 1, perMinor: 100 }, boosts: [], bonuses: [] },
    ...over,
  };
}

/** Mocks the network: the extension's requests are answered in turn, [status, body] each. */
export function answer(extension: { fetch?: unknown }, ...responses: Array<[number, unknown]>) {
  const fetch = vi.fn();
  for (const [status, body] of responses) fetch.mockResolvedValueOnce(new Response(JSON.stringify(body), { status }));
  extension.fetch = fetch;
  globalThis.fetch = fetch;
  return fetch;
}

/** A fetch that never answers: the extension stays loading. */
export function never(extension: { fetch?: unknown }) {
  const fetch = vi.fn(() => new Promise<Response>(() => {}));
  extension.fetch = fetch;
  globalThis.fetch = fetch;
  return fetch;
}

export const UNAVAILABLE: [number, unknown] = [
  503,
  { error: "Points are temporarily unavailable", code: "unavailable" },
];

export const text = () => (document.body.textContent ?? "").replace(/\s+/g, " ");

/** The headings of the sections on screen (an attribute, not text). */
export const headings = () =>
  [...document.body.querySelectorAll("s-section, s-page")].map((node) => node.getAttribute("heading"));
