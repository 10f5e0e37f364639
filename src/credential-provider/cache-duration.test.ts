import { describe, expect, it } from "vitest";
import { cacheDurationUntil } from "./cache-duration.js";

const NOW = new Date("2026-06-01T00:00:00Z");
const at = (ms: number) => new Date(NOW.getTime() + ms);
const MIN = 60_000;
const HOUR = 60 * MIN;

describe("cacheDurationUntil", () => {
  it.each<[string, number, string]>([
    ["a fresh 12-hour ECR token: until 15 minutes before it expires", 12 * HOUR, "11h45m0s"],
    ["an ACR refresh token with 3 hours left", 3 * HOUR, "2h45m0s"],
    ["20 minutes left: half (the margin would leave less than the margin)", 20 * MIN, "10m0s"],
    ["90 seconds left", 90_000, "45s"],
    ["1 second left", 1000, "0s"],
    ["expired", -HOUR, "0s"],
  ])("%s", (_what, remaining, duration) => {
    expect(cacheDurationUntil(at(remaining), NOW)).toBe(duration);
  });
});
