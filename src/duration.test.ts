import { describe, expect, it } from "vitest";
import { formatDuration, formatGoDuration, parseGoDuration, parseKubectlTimeout } from "./duration.js";

describe("parseGoDuration (Go time.ParseDuration)", () => {
  it.each([
    ["0", 0],
    ["1s", 1000],
    ["2m", 120_000],
    ["1h2m3.5s", 3_723_500],
    ["300ms", 300],
    ["1.5h", 5_400_000],
    [".5s", 500],
    ["1.s", 1000],
    ["-1s", -1000],
    ["+2s", 2000],
    ["1000us", 1],
    ["1000µs", 1],
    ["1000000ns", 1],
  ])("%s = %d ms", (text, ms) => {
    expect(parseGoDuration(text)).toBeCloseTo(ms, 6);
  });

  it.each(["", "1", "s", ".s", "1d", "1 s", "1s ", "abc", "-", "1m-1s", "1S"])("refuses %j", (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });
});

describe("parseKubectlTimeout (clientcmd.ParseTimeout)", () => {
  it.each([
    ["0", 0],
    ["30", 30_000],
    ["30s", 30_000],
    ["2m", 120_000],
    ["1h", 3_600_000],
  ])("%s = %d ms", (text, ms) => {
    expect(parseKubectlTimeout(text)).toBe(ms);
  });

  it.each(["", "-5", "1.5", "5 m", "fast"])("refuses %j", (text) => {
    expect(parseKubectlTimeout(text)).toBeUndefined();
  });
});

describe("formatDuration", () => {
  it.each([
    [250, "250ms"],
    [15_000, "15s"],
    [150_000, "2m30s"],
    [3_600_000, "1h"],
    [0, "0ms"],
  ])("%d ms = %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe("formatGoDuration", () => {
  it.each([
    [0, "0s"],
    [999, "0s"],
    [30_000, "30s"],
    [45 * 60_000, "45m0s"],
    [(11 * 3600 + 45 * 60) * 1000, "11h45m0s"],
    [(3600 + 1) * 1000, "1h0m1s"],
  ])("%d ms is %s, as Go prints it", (ms, text) => {
    expect(formatGoDuration(ms)).toBe(text);
    expect(parseGoDuration(text)).toBe(Math.floor(ms / 1000) * 1000);
  });
});
