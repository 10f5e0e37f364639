import { describe, expect, it } from "vitest";
import { describeAbnormalEnd, stderrForDisplay, valuesInOutput } from "./bounded-exec.js";

describe("what of a failed program's output may be shown", () => {
  it("lists the values of stdout that must not reach a message", () => {
    expect(valuesInOutput('{"ServerURL":"r.io","Username":"u","Secret":"CANARY-s3cret"}')).toEqual([
      "CANARY-s3cret",
      "r.io",
    ]);
    expect(valuesInOutput("first line\n  raw-secret \n")).toEqual(["first line", "raw-secret"]);
  });

  it("shows stderr on one short line without stdout's values, through the caller's redactor", () => {
    const displayLine = (text: string) => text.replace(/\s+/g, " ").trim().replace("hunter2", "***");
    expect(
      stderrForDisplay("error: token eyJ-printed-token rejected\n  password hunter2\n", {
        stdout: "eyJ-printed-token\n",
        displayLine,
      }),
    ).toBe("error: token <redacted> rejected password ***");
    expect(stderrForDisplay("x".repeat(500), { stdout: "", displayLine })).toHaveLength(200);
    expect(stderrForDisplay("\n", { stdout: "", displayLine })).toBe("");
  });

  it("says why a run did not exit", () => {
    expect(describeAbnormalEnd({ outcome: "timed-out", timeoutMs: 60_000 })).toBe(
      "no answer within 1m; it was stopped",
    );
    expect(describeAbnormalEnd({ outcome: "output-too-large", limitBytes: 1024 })).toBe(
      "printed more than 1024 bytes; it was stopped",
    );
    expect(describeAbnormalEnd({ outcome: "killed", signal: "SIGSEGV" })).toBe("killed by SIGSEGV");
  });
});
