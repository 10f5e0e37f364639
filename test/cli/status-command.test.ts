// `pullwarden status` at the CLI edge, without a cluster: its help, and the usage and environment errors it
// reports before (or instead of) contacting anything. The cluster behaviour is test/integration/status-cluster.
import { describe, expect, it } from "vitest";
import { runPullwarden } from "./run-cli.js";

describe("pullwarden status (CLI edge)", () => {
  it("--help names what it shows, the formats and the permissions it needs", async () => {
    const got = await runPullwarden(["status", "--help"]);
    expect(got.code).toBe(0);
    expect(got.stdout).toContain("Usage: pullwarden status [options]");
    expect(got.stdout.replace(/\s+/g, " ")).toContain('(choices: "text", "json", "html", default: "text")');
    expect(got.stdout).toContain("kubectl auth can-i list secrets --all-namespaces");
    expect(got.stdout).toContain("pullwarden status -o html > status.html");
  });

  it("is listed in the program's help", async () => {
    const got = await runPullwarden(["--help"]);
    expect(got.stdout).toMatch(/\n {2}status \[options\] +show every ClusterPullCredential/);
  });

  it.each([
    [["-o", "yaml"], 2, /error: option '-o, --output <format>' argument 'yaml' is invalid/],
    [["--request-timeout", "soon"], 2, /--request-timeout/],
    [["--kubeconfig", "/nonexistent/kubeconfig"], 4, /kubeconfig/],
  ])("status %j: exit %i, one line", async (args, code, message) => {
    const got = await runPullwarden(["status", ...args]);
    expect(got.code).toBe(code);
    expect(got.stdout).toBe("");
    expect(got.stderr).toMatch(message);
  });
});
