import { describe, expect, it } from "vitest";
import { adminT } from "../i18n/catalog";
import { encodeRejection, parseRejection, rejectionText, type Rejection } from "./rejection";

describe("a stored reason a model's text was not used", () => {
  it("reads back what was stored, whatever the reason", () => {
    const reasons: Rejection[] = [
      { code: "noText" },
      { code: "number", number: "12,345" },
      { code: "timeout", seconds: 0.3 },
      { code: "unreachable", detail: "connect ECONNREFUSED 127.0.0.1:9" },
      { code: "http", status: 500 },
    ];
    for (const reason of reasons) expect(parseRejection(encodeRejection(reason))).toEqual(reason);
  });

  it("shows an older row's sentence as it is, and nothing when there was no rejection", () => {
    expect(parseRejection("the language model answered HTTP 500")).toEqual({
      code: "other",
      detail: "the language model answered HTTP 500",
    });
    expect(parseRejection('{"code":"made up"}')).toEqual({ code: "other", detail: '{"code":"made up"}' });
    expect(parseRejection(null)).toBeNull();
  });
});

describe("the reason in the admin's language", () => {
  it("words each reason from the catalogs, in Japanese and in English", () => {
    const ja = adminT("ja");
    const en = adminT("en");
    expect(rejectionText({ code: "number", number: "12,346" }, ja)).toBe(
      "文章中の数字「12,346」が集計値にありません。",
    );
    expect(rejectionText({ code: "number", number: "12,346" }, en)).toBe(
      "the number 12,346 in its text is not among the figures.",
    );
    expect(rejectionText({ code: "timeout", seconds: 20 }, ja)).toBe("20秒以内に応答がありませんでした。");
    expect(rejectionText({ code: "http", status: 503 }, en)).toBe("it answered with an error (HTTP 503).");
    expect(rejectionText({ code: "unreachable", detail: "ECONNREFUSED" }, ja)).toBe(
      "接続できませんでした（ECONNREFUSED）。",
    );
    expect(rejectionText({ code: "noText" }, en)).toBe("it answered with no text.");
    expect(rejectionText({ code: "other", detail: "an older sentence" }, ja)).toBe("an older sentence");
  });
});
