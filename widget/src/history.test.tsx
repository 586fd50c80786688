// @vitest-environment jsdom
/** @jsxImportSource preact */
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, expect, it, vi } from "vitest";
import { config, entry, request, stubFetch, summary } from "./test-fixtures";
import { Widget } from "./Widget";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const rows = () => [...document.querySelectorAll("section:last-of-type li")].map((li) => li.textContent);

it("shows the history and Load more requests history?before=<next> and appends the older page", async () => {
  const first = [
    entry("h1", { pending: true }),
    entry("h2", { kind: "redeem", points: -500, orderName: null, at: "2026-02-01T12:00:00Z" }),
  ];
  const fetch = stubFetch(
    [200, summary({ history: { entries: first, next: "cursor/2" } })],
    [
      200,
      {
        entries: [entry("h3", { kind: "bonus", points: 200, orderName: null, at: "2026-01-05T12:00:00Z" })],
        next: null,
      },
    ],
  );
  render(<Widget config={config({ mode: "page" })} />);
  await screen.findByText("History");
  expect(rows()).toEqual(["Feb 10, 2026 Earned #1001 pending+120", "Feb 1, 2026 Redeemed-500"]);

  fireEvent.click(screen.getByRole("button", { name: "Load more" }));
  await waitFor(() => expect(rows()).toHaveLength(3));
  expect(request(fetch, 1).url).toBe("/apps/tsumiki/history?before=cursor%2F2");
  expect(request(fetch, 1).init).toMatchObject({ credentials: "same-origin", headers: { Accept: "application/json" } });
  expect(rows()[2]).toBe("Jan 5, 2026 Bonus+200");
  expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();
});

it("a failed Load more says so and keeps the button to try again", async () => {
  stubFetch([200, summary({ history: { entries: [entry("h1")], next: "c2" } })], [500, { error: "boom" }]);
  render(<Widget config={config({ mode: "page" })} />);
  fireEvent.click(await screen.findByRole("button", { name: "Load more" }));
  expect((await screen.findByRole("alert")).textContent).toBe("Something went wrong. Please try again.");
  expect(rows()).toHaveLength(1);
  expect(screen.getByRole("button", { name: "Load more" })).toBeTruthy();
});

it("an earn held for staff review says 'under review' (審査中 in Japanese), not just pending", async () => {
  const entries = [entry("h1", { pending: true, review: true }), entry("h2", { id: "h2", pending: true })];
  stubFetch([200, summary({ history: { entries, next: null } })]);
  render(<Widget config={config({ mode: "page" })} />);
  await screen.findByText("History");
  expect(rows()).toEqual(["Feb 10, 2026 Earned #1001 under review+120", "Feb 10, 2026 Earned #1001 pending+120"]);
  cleanup();

  stubFetch([200, summary({ history: { entries, next: null } })]);
  render(<Widget config={config({ mode: "page", locale: "ja" })} />);
  await screen.findByText("履歴");
  expect(rows()[0]).toContain("審査中");
  expect(rows()[1]).toContain("確定待ち");
});
