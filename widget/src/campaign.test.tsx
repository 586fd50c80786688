// @vitest-environment jsdom
/** @jsxImportSource preact */
import { cleanup, render, screen } from "@testing-library/preact";
import { afterAll, afterEach, beforeAll, expect, it, vi } from "vitest";
import { config, entry, member, stubFetch, summary } from "./test-fixtures";
import { Widget } from "./Widget";

// Dates are shown in the shopper's time zone: this file's shopper and shop are both in UTC.
const zone = process.env.TZ;
beforeAll(() => {
  process.env.TZ = "UTC";
});
afterAll(() => {
  process.env.TZ = zone;
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const rows = () => [...document.querySelectorAll("section:last-of-type li")].map((li) => li.textContent);
// The end of 31 March in the shop's (and this test's) time zone: the instant 1 April begins.
const goldenWeek = { name: "Golden Week", expiresAt: "2026-04-01T00:00:00Z" };

it("history: a campaign bonus kept apart is named with its expiry, and so is its expiry", async () => {
  const entries = [
    entry("h3", { kind: "expire", points: -27, orderName: "#1001", at: "2026-04-01T12:00:00Z", campaign: goldenWeek }),
    entry("h2", { points: 54 }),
    entry("h1", { points: 27, campaign: goldenWeek }),
  ];
  stubFetch([200, summary({ history: { entries, next: null } })]);
  render(<Widget config={config({ mode: "page" })} />);
  await screen.findByText("History");
  expect(rows()).toEqual([
    "Apr 1, 2026 Expired Golden Week bonus #1001-27",
    "Feb 10, 2026 Earned #1001+54",
    "Feb 10, 2026 Golden Week bonus #1001 · expires Mar 31, 2026+27",
  ]);
});

it("history in Japanese", async () => {
  stubFetch([200, summary({ history: { entries: [entry("h1", { points: 27, campaign: goldenWeek })], next: null } })]);
  render(<Widget config={config({ mode: "page", locale: "ja" })} />);
  await screen.findByText("履歴");
  expect(rows()).toEqual(["2026/02/10 Golden Weekボーナス #1001 · 期限2026/03/31+27"]);
});

it("expiring first: a campaign bonus is named, with its points when other points expire with it", async () => {
  const alone = { points: 27, at: "2026-04-01T00:00:00Z", campaigns: [{ name: "Golden Week", points: 27 }] };
  stubFetch([200, summary({ member: member({ expiringSoon: alone }) })]);
  render(<Widget config={config({ mode: "page" })} />);
  await screen.findByText("27 points expire on Mar 31, 2026 (Golden Week bonus)");
  cleanup();

  const mixed = { points: 100, at: "2026-04-01T00:00:00Z", campaigns: [{ name: "Golden Week", points: 27 }] };
  stubFetch([200, summary({ member: member({ expiringSoon: mixed }) })]);
  render(<Widget config={config({ mode: "page", locale: "ja" })} />);
  await screen.findByText("100ポイントが2026/03/31に失効（Golden Weekボーナス 27ポイント）");
});
