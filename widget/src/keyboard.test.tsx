// @vitest-environment jsdom
/** @jsxImportSource preact */
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { config, stubFetch, summary } from "./test-fixtures";
import { Widget } from "./Widget";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const launcher = () => screen.getByRole("button", { name: /^Rewards/ });

describe("keyboard and focus", () => {
  beforeEach(async () => {
    stubFetch([200, summary()]);
    render(<Widget config={config()} />);
    await waitFor(() => expect(launcher().textContent).toContain("1,200 points"));
    launcher().focus();
    fireEvent.click(launcher());
  });

  it("opening moves focus into the labelled modal dialog", () => {
    const dialog = screen.getByRole("dialog", { name: "Rewards" });
    expect(dialog.getAttribute("aria-modal")).toBe("true");
    expect(launcher().getAttribute("aria-expanded")).toBe("true");
    expect(launcher().getAttribute("aria-controls")).toBe(dialog.id);
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Close" }));
    expect(dialog.contains(document.activeElement)).toBe(true);
  });

  it("Tab from the last control wraps to the first, Shift+Tab from the first to the last", () => {
    const dialog = screen.getByRole("dialog");
    const controls = [...dialog.querySelectorAll<HTMLElement>("a[href],button:not([disabled])")];
    const first = controls[0];
    const last = controls[controls.length - 1];
    expect(controls.length).toBeGreaterThan(2);

    last.focus();
    fireEvent.keyDown(last, { key: "Tab" });
    expect(document.activeElement).toBe(first);

    fireEvent.keyDown(first, { key: "Tab", shiftKey: true });
    expect(document.activeElement).toBe(last);

    // Tab between two inner controls is left to the browser.
    controls[1].focus();
    fireEvent.keyDown(controls[1], { key: "Tab" });
    expect(document.activeElement).toBe(controls[1]);
  });

  it("Escape closes the dialog and returns focus to the launcher", () => {
    fireEvent.keyDown(document.activeElement!, { key: "Escape" });
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(document.activeElement).toBe(launcher());
    expect(launcher().getAttribute("aria-expanded")).toBe("false");
  });

  it("the close button closes it too, focus back on the launcher", () => {
    fireEvent.click(screen.getByRole("button", { name: "Close" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(document.activeElement).toBe(launcher());
  });
});
