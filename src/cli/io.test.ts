import { describe, expect, it } from "vitest";
import { UsageError } from "../errors.js";
import { clockFromEnv, describeOutputFailure } from "./io.js";

describe("clockFromEnv (PULLWARDEN_NOW)", () => {
  it("is the real clock when unset or empty", () => {
    for (const env of [{}, { PULLWARDEN_NOW: "" }]) {
      const before = Date.now();
      const now = clockFromEnv(env)().getTime();
      expect(now).toBeGreaterThanOrEqual(before);
      expect(now).toBeLessThanOrEqual(Date.now());
    }
  });

  it.each([
    ["2026-12-01T00:00:00Z", "2026-12-01T00:00:00.000Z"],
    ["2026-12-01", "2026-12-01T00:00:00.000Z"],
    ["2026-12-01T10:30:00.5+02:00", "2026-12-01T08:30:00.500Z"],
  ])("fixes the clock at %s", (value, iso) => {
    const now = clockFromEnv({ PULLWARDEN_NOW: value });
    expect(now().toISOString()).toBe(iso);
    expect(now().toISOString()).toBe(iso);
  });

  it.each(["tomorrow", "1767225600", "2026-13-01", "2026-12-01T10:00"])(
    "refuses %j with a usage error when read",
    (value) => {
      const now = clockFromEnv({ PULLWARDEN_NOW: value });
      expect(() => now()).toThrow(UsageError);
      expect(() => now()).toThrow(/^PULLWARDEN_NOW=".*" is not a time: expected RFC 3339/);
    },
  );
});

describe("describeOutputFailure", () => {
  it.each([
    ["ENOSPC", "the device it goes to is full (ENOSPC); free space there or redirect the output elsewhere"],
    ["EBADF", "it is closed or not open for writing (EBADF); redirect it to a file or a pipe"],
    ["EIO", "the write failed (EIO); redirect the output elsewhere"],
  ])("%s", (code, why) => {
    const error = Object.assign(new Error("write failed"), { code });
    expect(describeOutputFailure(error)).toBe(`cannot write to standard output: ${why}`);
  });
});
