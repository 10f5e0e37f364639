// `pullwarden controller run`: usage errors are found before anything is contacted (exit 2, one line with
// the fix); the help names what it serves. (The process itself runs in test/controller/.)
import { describe, expect, it } from "vitest";
import { runPullwarden } from "./run-cli.js";

describe("pullwarden controller run: usage", () => {
  it.each([
    [["--renew-deadline", "20s"], "--renew-deadline must be shorter than --lease-duration"],
    [["--lease-duration", "soon"], '--lease-duration "soon": expected'],
    [["--http-address", "8080"], '--http-address "8080": expected HOST:PORT'],
    [["--http-address", "0.0.0.0:99999"], "expected HOST:PORT"],
    [["--ca-file", "x.pem", "--plain-http"], "--plain-http and --ca-file contradict each other"],
    [["--watch-namespaces", " , "], "--watch-namespaces is empty"],
    [
      ["--watch-namespaces", "team-a,Team_B"],
      'invalid namespace "Team_B": must be a lowercase RFC 1123 label',
    ],
  ])("%j → exit 2", async (args, message) => {
    const result = await runPullwarden(["controller", "run", ...args, "--kubeconfig", "/nonexistent"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split("\n").length).toBeLessThanOrEqual(2);
  });

  it("help names the endpoints and the docs", async () => {
    const result = await runPullwarden(["controller", "run", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("/healthz, /readyz and /metrics");
    expect(result.stdout).toContain("docs/controller.md");
  });
});
