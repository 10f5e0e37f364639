import { describe, expect, it } from "vitest";
import { labelSelectorMatches, labelSelectorProblems } from "./label-selector.js";
import type { LabelSelector } from "./label-selector.js";

describe("labelSelectorMatches (apimachinery's LabelSelectorAsSelector + Matches)", () => {
  const labels = { team: "web", tier: "prod" };
  it.each<[string, LabelSelector, boolean]>([
    ["empty selector matches everything", {}, true],
    ["matchLabels equal", { matchLabels: { team: "web" } }, true],
    ["matchLabels differ", { matchLabels: { team: "api" } }, false],
    ["matchLabels key absent", { matchLabels: { owner: "x" } }, false],
    ["In", { matchExpressions: [{ key: "tier", operator: "In", values: ["prod", "staging"] }] }, true],
    ["In, absent key", { matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }] }, false],
    [
      "NotIn, absent key matches",
      { matchExpressions: [{ key: "zone", operator: "NotIn", values: ["a"] }] },
      true,
    ],
    [
      "NotIn, value listed",
      { matchExpressions: [{ key: "tier", operator: "NotIn", values: ["prod"] }] },
      false,
    ],
    ["Exists", { matchExpressions: [{ key: "team", operator: "Exists" }] }, true],
    ["DoesNotExist", { matchExpressions: [{ key: "team", operator: "DoesNotExist" }] }, false],
    [
      "labels and expressions are ANDed",
      { matchLabels: { team: "web" }, matchExpressions: [{ key: "tier", operator: "In", values: ["dev"] }] },
      false,
    ],
  ])("%s", (_title, selector, expected) => {
    expect(labelSelectorMatches(selector, labels)).toBe(expected);
  });

  it("inherited object properties are not labels", () => {
    expect(labelSelectorMatches({ matchExpressions: [{ key: "constructor", operator: "Exists" }] }, {})).toBe(
      false,
    );
    expect(labelSelectorMatches({ matchLabels: { toString: "x" } }, {})).toBe(false);
  });

  it.each<[string, LabelSelector, string]>([
    ["unknown operator", { matchExpressions: [{ key: "a", operator: "Equals" as never }] }, "is not In"],
    [
      "In without values",
      { matchExpressions: [{ key: "a", operator: "In", values: [] }] },
      "needs at least one value",
    ],
    [
      "Exists with values",
      { matchExpressions: [{ key: "a", operator: "Exists", values: ["x"] }] },
      "takes no values",
    ],
    ["empty key", { matchExpressions: [{ key: "", operator: "Exists" }] }, "the key is empty"],
  ])("an invalid selector (%s) matches nothing and says why", (_title, selector, problem) => {
    expect(labelSelectorMatches(selector, { a: "x" })).toBe(false);
    expect(labelSelectorProblems(selector).join("\n")).toContain(problem);
  });
});
