import { describe, expect, it } from "vitest";
import { defaultProgram, withDefaults } from "./program";
import { describeProgram, validateProgram } from "./program-rules";

const withMembership = (membership: object) => ({
  ...defaultProgram("JPY"),
  membership: { ...defaultProgram("JPY").membership, ...membership },
});

describe("program membership settings", () => {
  it("default to every customer being a member, keeping points on leaving", () => {
    expect(defaultProgram("JPY").membership).toEqual({
      mode: "all",
      termsVersion: "1",
      termsUrl: null,
      onLeave: "keep",
    });
    // A program saved before membership existed reads as today's behaviour.
    const { membership: _absent, ...saved } = defaultProgram("JPY");
    expect(withDefaults(saved).membership.mode).toBe("all");
  });

  it("accept a join program with a terms version and an https terms link", () => {
    const settings = withMembership({ mode: "join", termsVersion: "2026-12", termsUrl: "https://shop.example/terms" });
    expect(validateProgram(settings)).toEqual({ settings });
  });

  it("refuse each invalid field with a message for the merchant", () => {
    const result = validateProgram(
      withMembership({ mode: "invite", termsVersion: "", termsUrl: "javascript:alert(1)", onLeave: "donate" }),
    );
    expect(result).toEqual({
      errors: {
        "membership.mode": "Make every customer a member, or let customers join.",
        "membership.termsVersion":
          "The terms version is 1 to 40 letters, digits, dots or dashes (for example 2026-12 or 2.1).",
        "membership.termsUrl": "The terms link must be an https:// address, or empty.",
        "membership.onLeave": "Say whether a leaving member keeps or forfeits their points.",
      },
    });
  });
});

describe("describeProgram in a members-join program", () => {
  it("says how to join and how the signup bonus is paid, in both languages", () => {
    const settings = { ...withMembership({ mode: "join", termsVersion: "2" }), signupBonus: 300 };
    expect(describeProgram(settings, "en")).toContain(
      "Joining earns 300 points, once per person, with a verified email.",
    );
    expect(describeProgram(settings, "ja")).toContain(
      "参加すると300ポイントを差し上げます（メールアドレスの確認が必要、お一人様1回）。",
    );
    expect(describeProgram({ ...settings, membership: defaultProgram("JPY").membership }, "en")).toContain(
      "New members get 300 points for signing up.",
    );
  });
});
