import { describe, expect, it } from "vitest";
import { InvalidReferenceError } from "../errors.js";
import { referenceRegexp } from "./grammar.js";
import { parseNormalizedReference } from "./normalize.js";
import { scanReferencePrefix } from "./reference-automaton.js";

// Inputs shaped to make a backtracking regex engine retry many ways of splitting them (long runs of
// repeated atoms and separators, ending in a character that fails the match). Each must complete with the
// right answer; catastrophic backtracking would blow the test timeout.

const cases: [label: string, input: string, expected: { offset: number } | { domain: string }][] = [
  ['4000 × "a" + "!"', "a".repeat(4000) + "!", { offset: 4000 }],
  ['2000 × "a-" + "!"', "a-".repeat(2000) + "!", { offset: 4000 }],
  ['2000 × "a." + "!"', "a.".repeat(2000) + "!", { offset: 4000 }],
  ['2000 × "a_" + "!"', "a_".repeat(2000) + "!", { offset: 4000 }],
  ['1333 × "a__" + "_"', "a__".repeat(1333) + "_", { offset: 3999 }],
  ['1999 × "a/" + "a!"', "a/".repeat(1999) + "a!", { offset: 3999 }],
  ['2000 × "a:"', "a:".repeat(2000), { offset: 3 }],
  ['"a" + 3998 × "-" + "!"', "a" + "-".repeat(3998) + "!", { offset: 3999 }],
  ['1000 × "a-a." + "/"', "a-a.".repeat(1000) + "/", { offset: 4000 }],
  ['64 × ("a" + 60 × "-" + "a.") + "!"', ("a" + "-".repeat(60) + "a.").repeat(64) + "!", { offset: 64 * 63 }],
  ['1000 × "a.b/" + "A"', "a.b/".repeat(1000) + "A", { offset: 4000 }],
  ['"[" + 2000 × "0:"', "[" + "0:".repeat(2000), { offset: 0 }],
  ['"a@" + 2000 × "a."', "a@" + "a.".repeat(2000), { offset: 4002 }],
  ['"a@" + 1990 × "A+" + "A:"', "a@" + "A+".repeat(1990) + "A:", { offset: 2 }],
  ['"a@sha256:" + 4000 hex', "a@sha256:" + "f".repeat(4000), { offset: 9 + 64 }],
  ['tag + "@" + 1900 × "c-"', "a:" + "b".repeat(127) + "@" + "c-".repeat(1900), { offset: 130 + 3800 }],
  ['4000 × "A"', "A".repeat(4000), { offset: 0 }],
  ['4000 × "a" + "/A"', "a".repeat(4000) + "/A", { offset: 4001 }],
  ['4000 × "0" + ":"', "0".repeat(4000) + ":", { offset: 4001 }],
  ['4000 × "Ab" (mixed case, lowercasing retried)', "Ab".repeat(2000), { offset: 0 }],
  // Valid, if absurd: the grammar puts no limit on the length of a domain.
  ['"[" + 2000 × "0:" + "]/x"', "[" + "0:".repeat(2000) + "]/x", { domain: "[" + "0:".repeat(2000) + "]" }],
  [
    '64 × ("a" + 60 × "-" + "a.") + "io/x"',
    ("a" + "-".repeat(60) + "a.").repeat(64) + "io/x",
    {
      domain: ("a" + "-".repeat(60) + "a.").repeat(64) + "io",
    },
  ],
  ['4000 × "A" + "/x"', "A".repeat(4000) + "/x", { domain: "A".repeat(4000) }],
];

describe("hostile input of up to 4096 characters", () => {
  it.each(cases)("%s", (_label, input, expected) => {
    expect(input.length).toBeLessThanOrEqual(4096);
    if ("domain" in expected) {
      expect(parseNormalizedReference(input).domain).toBe(expected.domain);
      return;
    }
    let error: unknown;
    try {
      parseNormalizedReference(input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidReferenceError);
    expect((error as InvalidReferenceError).position).toEqual(expected);
  });

  it.each(cases)("the grammar and the automaton agree on %s", (_label, input) => {
    expect(scanReferencePrefix(input).complete).toBe(referenceRegexp.test(input));
  });
});
