// Canned proxy answers and settings for the widget's tests (imported by tests only, never by the bundle).
import { vi } from "vitest";
import type {
  HistoryEntry,
  StorefrontMember,
  StorefrontProgram,
  StorefrontSummary,
} from "../../app/storefront/storefront-api";
import type { Config } from "./config";

export function config(overrides: Partial<Config> = {}): Config {
  return {
    proxy: "/apps/tsumiki",
    locale: "en",
    currency: "JPY",
    loggedIn: true,
    loginUrl: "/account/login",
    registerUrl: "/account/register",
    position: "bottom-right",
    mode: "launcher",
    color: "#1a5f4a",
    textColor: "#ffffff",
    ...overrides,
  };
}

export function program(overrides: Partial<StorefrontProgram> = {}): StorefrontProgram {
  return {
    currency: "JPY",
    earnRate: { points: 1, perMinor: 100 },
    pointValueMinor: 1,
    signupBonus: 200,
    birthdayBonus: 300,
    actions: [{ name: "Write a review", points: 50 }],
    expiryDays: 365,
    tierBasis: "spend",
    tiers: [
      { id: "bronze", name: "Bronze", threshold: 0, earnExtraPercent: 0 },
      { id: "silver", name: "Silver", threshold: 30000, earnExtraPercent: 5 },
      { id: "gold", name: "Gold", threshold: 100000, earnExtraPercent: 10 },
    ],
    ...overrides,
  };
}

export function member(overrides: Partial<StorefrontMember> = {}): StorefrontMember {
  return {
    available: 1200,
    pending: 0,
    debt: 0,
    expiringSoon: null,
    tier: { id: "silver", name: "Silver" },
    nextTier: { id: "gold", name: "Gold", remaining: 3200 },
    blocked: false,
    ...overrides,
  };
}

export function entry(id: string, overrides: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    id,
    at: "2026-02-10T12:00:00Z",
    kind: "earn",
    points: 120,
    pending: false,
    orderName: "#1001",
    ...overrides,
  };
}

export function summary(overrides: Partial<StorefrontSummary> = {}): StorefrontSummary {
  return {
    loggedIn: true,
    program: program(),
    membership: { mode: "all", member: true, termsVersion: "1", termsUrl: null },
    member: member(),
    rewards: [
      { id: "small", name: "Small discount", points: 500, amountMinor: 500, minimumSubtotalMinor: 0 },
      { id: "big", name: "Big discount", points: 1000, amountMinor: 1000, minimumSubtotalMinor: 5000 },
    ],
    codes: [],
    history: { entries: [entry("h1")], next: null },
    ...overrides,
  };
}

export const anonymous = (): StorefrontSummary =>
  summary({
    loggedIn: false,
    membership: { mode: "all", member: false, termsVersion: "1", termsUrl: null },
    member: null,
    codes: [],
    history: { entries: [], next: null },
  });

/** Stubs global fetch with these answers, in order: `[status, body]`, or an Error for a network failure. */
export function stubFetch(...answers: Array<[number, unknown] | Error>) {
  const fetch = vi.fn<typeof globalThis.fetch>();
  for (const answer of answers) {
    if (answer instanceof Error) fetch.mockRejectedValueOnce(answer);
    else fetch.mockResolvedValueOnce(new Response(JSON.stringify(answer[1]), { status: answer[0] }));
  }
  vi.stubGlobal("fetch", fetch);
  return fetch;
}

/** The URL and init of the nth fetch call. */
export function request(fetch: ReturnType<typeof stubFetch>, n: number) {
  const [url, init] = fetch.mock.calls[n];
  return { url: String(url), init: init ?? {} };
}
