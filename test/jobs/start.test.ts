import { describe, expect, it } from "vitest";
import { startJobs } from "../../app/jobs/jobs.server";

describe("background jobs", () => {
  it("stay off in tests and when TSUMIKI_JOBS=off hands them to the worker", () => {
    expect(startJobs({ NODE_ENV: "test" })).toBe(false);
    expect(startJobs({ NODE_ENV: "production", TSUMIKI_JOBS: "off" })).toBe(false);
  });

  it("start once per process", () => {
    expect(startJobs({ NODE_ENV: "production" })).toBe(true);
    expect(startJobs({ NODE_ENV: "production" })).toBe(false);
    clearInterval(globalThis.tsumikiJobs);
    globalThis.tsumikiJobs = undefined;
  });
});
