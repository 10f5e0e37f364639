import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { shFlag, shPath, shQuote } from "./shell.js";

/** What bash makes of each word: printf's NUL-separated output of all the quoted words at once. */
function bashWords(words: readonly string[]): string[] {
  const script = `printf '%s\\0' ${words.join(" ")}`;
  const result = spawnSync("bash", ["-c", script], {
    encoding: "utf8",
    env: { HOME: "/home/test", PATH: "/usr/bin:/bin" },
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout.split("\0").slice(0, -1);
}

describe("shQuote", () => {
  it("keeps plain words readable and quotes the rest", () => {
    expect(shQuote("ghcr.io")).toBe("ghcr.io");
    expect(shQuote("harbor.example.com:8443")).toBe("harbor.example.com:8443");
    expect(shQuote("Production Gov")).toBe("'Production Gov'");
    expect(shQuote("robot$team+pull")).toBe('"robot\\$team+pull"');
    expect(shQuote("it's")).toBe("'it'\\''s'");
    expect(shQuote("")).toBe("''");
    expect(shFlag("--docker-username", "a b")).toBe("--docker-username='a b'");
    expect(shPath("~/.secrets/x y")).toBe(`"$HOME"/'.secrets/x y'`);
  });

  it("bash reads every quoted string back exactly (property)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({
            unit: fc.constantFrom(
              "a",
              "Z",
              "0",
              " ",
              "'",
              '"',
              "$",
              "`",
              "\\",
              "!",
              "*",
              "?",
              "[",
              "]",
              "~",
              "#",
              ";",
              "&",
              "|",
              "\n",
              "\t",
              "{",
              "}",
              "(",
              ")",
              "é",
              "=",
              ":",
              "@",
              "%",
            ),
            maxLength: 12,
          }),
          { minLength: 1, maxLength: 40 },
        ),
        (values) => {
          expect(bashWords(values.map(shQuote))).toEqual(values);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("shPath expands only a leading ~/", () => {
    expect(bashWords([shPath("~/a b"), shPath("/x/~/y"), shPath("~")])).toEqual([
      "/home/test/a b",
      "/x/~/y",
      "/home/test",
    ]);
  });
});
