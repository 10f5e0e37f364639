// Contradictory registry TLS flags are usage errors (exit 2) for `check` and `doctor --probe` alike (they share
// src/cli/flags/registry.ts), found before any file is read or any connection made: the CA file named here does not exist,
// and no registry or cluster is running.
import { describe, expect, it } from "vitest";
import { STACK_TRACE, runPullwarden } from "./run-cli.js";

const MISSING_CA = "/nonexistent/pullwarden-test-ca.crt";

const CONTRADICTIONS: [string[], RegExp][] = [
  [
    ["--ca-file", MISSING_CA, "--insecure-skip-tls-verify"],
    /^error: --ca-file and --insecure-skip-tls-verify contradict each other: specifying a root certificates file with the insecure flag is not allowed$/m,
  ],
  [
    ["--plain-http", "--ca-file", MISSING_CA],
    /^error: --plain-http and --ca-file contradict each other: --ca-file is about TLS, and --plain-http talks to the registry without TLS$/m,
  ],
  [
    ["--plain-http", "--insecure-skip-tls-verify"],
    /^error: --plain-http and --insecure-skip-tls-verify contradict each other/m,
  ],
  [["--plain-http", "--ca-file", MISSING_CA, "--insecure-skip-tls-verify"], /contradict each other/],
];

describe.each([
  ["check", ["check", "127.0.0.1:1/org/app:1.0"]],
  ["doctor --probe", ["doctor", "some-pod", "--probe", "--kubeconfig", "/nonexistent/kubeconfig"]],
])("%s", (_name, command) => {
  it.each(CONTRADICTIONS)("%j: exit 2, one error line and a hint, nothing read", async (flags, message) => {
    const result = await runPullwarden([...command, ...flags]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(result.stderr).not.toContain("no such file");
    expect(result.stderr).not.toContain("warning:");
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^hint: drop /);
  });
});

describe("flags that agree are accepted", () => {
  it.each([[["--plain-http"]], [["--insecure-skip-tls-verify"]], [[]]])(
    "check %j reaches the (closed) registry",
    async (flags) => {
      const result = await runPullwarden(["check", "127.0.0.1:1/org/app:1.0", ...flags]);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stdout).toMatch(/network\s+refused/);
    },
  );
});
