// @vitest-environment jsdom
/** @jsxImportSource preact */
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { RedeemResult } from "../../app/storefront/storefront-api";
import { config, request, stubFetch, summary } from "./test-fixtures";
import { Widget } from "./Widget";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const RESULT: RedeemResult = {
  code: {
    code: "TSU-7K2P",
    rewardName: "Small discount",
    points: 500,
    amountMinor: 500,
    expiresAt: "2026-06-30T12:00:00Z",
  },
  available: 700,
};

const balance = () => document.querySelector(".tsumiki-points")?.textContent;
const confirmButton = () => document.querySelector<HTMLButtonElement>(".tsumiki-confirm .tsumiki-button")!;

async function openConfirm() {
  await screen.findByText("Available points");
  fireEvent.click(screen.getByRole("button", { name: "Redeem: Small discount" }));
  expect(screen.getByText("Spend 500 points for ¥500 off?")).toBeTruthy();
  expect(document.activeElement).toBe(confirmButton());
}

describe("redeeming a reward", () => {
  it("confirm → POST {rewardId, key} → the code shown, the balance updated and announced", async () => {
    const fetch = stubFetch([200, summary()], [200, RESULT]);
    render(<Widget config={config()} />);
    fireEvent.click(screen.getByRole("button", { name: /^Rewards/ }));
    await openConfirm();
    expect(fetch).toHaveBeenCalledTimes(1); // nothing is spent before the confirmation
    fireEvent.click(confirmButton());
    fireEvent.click(confirmButton()); // a double click sends one request
    expect(confirmButton().textContent).toBe("Redeeming…");

    await waitFor(() => expect(document.querySelector(".tsumiki-big")?.textContent).toBe("TSU-7K2P"));
    const { url, init } = request(fetch, 1);
    expect(url).toBe("/apps/tsumiki/redeem");
    expect(init.method).toBe("POST");
    expect(init.credentials).toBe("same-origin");
    const body = JSON.parse(String(init.body));
    expect(body).toEqual({ rewardId: "small", key: expect.stringMatching(/.{8,}/) });

    expect(balance()).toBe("700");
    expect(screen.getByRole("button", { name: /^Rewards/ }).textContent).toContain("700 points");
    expect(document.querySelector("[aria-live='polite']")?.textContent).toBe(
      "Redeemed 500 points. Your code is TSU-7K2P.",
    );
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(document.activeElement).toBe(document.querySelector(".tsumiki-issued"));
    // The new code is shown with a copy button and joins the shopper's codes; Big discount (1,000) is out of reach.
    expect(screen.getAllByRole("button", { name: "Copy TSU-7K2P" })).toHaveLength(2);
    expect(document.body.textContent).toContain("300 points more needed");
  });

  it("409 insufficient_balance: the message in an alert and the balance unchanged", async () => {
    const fetch = stubFetch([200, summary()], [409, { error: "Insufficient balance", code: "insufficient_balance" }]);
    render(<Widget config={config({ mode: "page" })} />);
    await openConfirm();
    fireEvent.click(confirmButton());

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe("Not enough points for this reward.");
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(balance()).toBe("1,200");
    expect(document.querySelector(".tsumiki-issued")).toBeNull();
    expect(document.querySelector(".tsumiki-confirm")).toBeNull();
  });

  it("a network failure keeps the confirmation, and the retry sends the same key; a new click a new key", async () => {
    const fetch = stubFetch([200, summary()], new TypeError("Failed to fetch"), [200, RESULT]);
    render(<Widget config={config({ mode: "page" })} />);
    await openConfirm();
    fireEvent.click(confirmButton());
    expect((await screen.findByRole("alert")).textContent).toBe("Something went wrong. Please try again.");
    expect(balance()).toBe("1,200");

    fireEvent.click(confirmButton());
    await waitFor(() => expect(document.querySelector(".tsumiki-big")?.textContent).toBe("TSU-7K2P"));
    const first = JSON.parse(String(request(fetch, 1).init.body));
    const retry = JSON.parse(String(request(fetch, 2).init.body));
    expect(retry).toEqual(first);

    fireEvent.click(screen.getByRole("button", { name: "Redeem: Small discount" }));
    stubFetch([200, RESULT]);
    const again = globalThis.fetch as ReturnType<typeof stubFetch>;
    fireEvent.click(confirmButton());
    await waitFor(() => expect(again).toHaveBeenCalledTimes(1));
    expect(JSON.parse(String(request(again, 0).init.body)).key).not.toBe(first.key);
  });

  it("503 unavailable: points are temporarily unavailable, the confirmation stays to retry with the same key", async () => {
    const down = { error: "Points are temporarily unavailable; try again in a minute.", code: "unavailable" };
    const fetch = stubFetch([200, summary()], [503, down], [200, RESULT]);
    render(<Widget config={config({ mode: "page" })} />);
    await openConfirm();
    fireEvent.click(confirmButton());
    expect((await screen.findByRole("alert")).textContent).toBe("Points are temporarily unavailable.");
    expect(balance()).toBe("1,200");
    fireEvent.click(confirmButton());
    await waitFor(() => expect(document.querySelector(".tsumiki-big")?.textContent).toBe("TSU-7K2P"));
    expect(JSON.parse(String(request(fetch, 2).init.body))).toEqual(JSON.parse(String(request(fetch, 1).init.body)));
  });

  it("Cancel leaves the confirmation without a request", async () => {
    const fetch = stubFetch([200, summary()]);
    render(<Widget config={config({ mode: "page" })} />);
    await openConfirm();
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(document.querySelector(".tsumiki-confirm")).toBeNull();
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
