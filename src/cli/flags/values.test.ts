import { InvalidArgumentError } from "@commander-js/extra-typings";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../errors.js";
import { collect, outputFormat, parseConcurrencyFlag, parseDurationFlag, splitList } from "./values.js";

describe("shared flag parsers", () => {
  it("parseDurationFlag: kubectl's format, limits named in the error", () => {
    expect(parseDurationFlag("--timeout", "15")).toBe(15_000);
    expect(parseDurationFlag("--timeout", "1m30s")).toBe(90_000);
    expect(parseDurationFlag("--request-timeout", "0", { allowZero: true })).toBe(0);
    expect(() => parseDurationFlag("--timeout", "0")).toThrow(UsageError);
    expect(() => parseDurationFlag("--timeout", "2h", { maxMs: 3_600_000 })).toThrow(
      '--timeout "2h": at most 3600 seconds',
    );
  });

  it.each(["1", " 8 ", "256"])("parseConcurrencyFlag accepts %j", (text) => {
    expect(parseConcurrencyFlag("--concurrency", text, 256)).toBe(Number(text.trim()));
  });

  it.each(["0", "257", "1.5", "-1", "", "eight"])("parseConcurrencyFlag refuses %j, quoting it", (text) => {
    expect(() => parseConcurrencyFlag("--concurrency", text, 256)).toThrow(
      `--concurrency ${JSON.stringify(text)}: expected a whole number from 1 to 256`,
    );
  });

  it("collect and splitList: repeatable flags with comma lists, trimmed, each value once, in order", () => {
    const given = ["b", " a, c ", "b,,"].reduce<string[] | undefined>(
      (all, value) => collect(value, all),
      undefined,
    );
    expect(given).toEqual(["b", " a, c ", "b,,"]);
    expect(splitList(given)).toEqual(["b", "a", "c"]);
    expect(splitList(undefined)).toEqual([]);
  });

  it("outputFormat maps older names and refuses others as commander words them", () => {
    const parse = outputFormat(["text", "json"], { table: "text" });
    expect(parse("json")).toBe("json");
    expect(parse("table")).toBe("text");
    expect(() => parse("xml")).toThrow(InvalidArgumentError);
    expect(() => parse("xml")).toThrow("Allowed choices are text, json.");
  });
});
