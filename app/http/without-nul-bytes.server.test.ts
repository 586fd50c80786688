import { PassThrough, type Transform } from "node:stream";
import { text } from "node:stream/consumers";
import { createElement } from "react";
import { renderToPipeableStream } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { withoutNulBytes } from "./without-nul-bytes.server";

/** A page of Japanese paragraphs at shifting offsets, so some character straddles React's 2 KB write buffer. */
function page(shift: number) {
  return createElement(
    "div",
    null,
    Array.from({ length: 30 }, (_, i) =>
      createElement("p", { key: i }, "x".repeat((shift + i * 7) % 50), "顧客を今すぐ同期", i),
    ),
  );
}

function render(shift: number, through: Transform): Promise<string> {
  return new Promise((resolve, reject) => {
    const { pipe } = renderToPipeableStream(page(shift), {
      onAllReady() {
        pipe(through);
        text(through).then(resolve, reject);
      },
      onError: reject,
    });
  });
}

describe("server-rendered pages in Japanese", () => {
  it("carry no NUL bytes where React's stream puts them, and nothing else changes", async () => {
    let corrupted = 0;
    for (let shift = 0; shift < 60; shift++) {
      const raw = await render(shift, new PassThrough());
      const clean = await render(shift, withoutNulBytes());
      if (raw.includes("\0")) corrupted += 1;
      expect(clean).not.toContain("\0");
      expect(clean).toBe(raw.replaceAll("\0", ""));
      expect(clean.match(/顧客を今すぐ同期/g)).toHaveLength(30);
    }
    // The React bug this works around is real on this React version (if an upgrade fixes it, this can go).
    expect(corrupted).toBeGreaterThan(0);
  });
});
