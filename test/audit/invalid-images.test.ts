// Row 7 of issue 10: image references kubelet refuses (InvalidImageName) are findings (PW108), not skipped, and
// the summary counts the containers judged, whatever their image holds.
import { describe, expect, it } from "vitest";
import { parseJsonOutput, runPullwarden } from "../cli/run-cli.js";

const DEPLOYMENT = (images: readonly string[]) =>
  [
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata: {name: web, namespace: apps}",
    "spec:",
    "  template:",
    "    spec:",
    "      containers:",
    ...images.map((image, index) => `        - {name: c${index}, image: ${JSON.stringify(image)}}`),
    "",
  ].join("\n");

interface Report {
  summary: { error: number; objects: number; containers: number };
  findings: {
    ruleId: string;
    severity: string;
    message: string;
    image?: string;
    location: { field?: string };
  }[];
}

describe("image references kubelet refuses", () => {
  const refused = ["Web", "nginx:1.27:extra", "", "nginx@sha256:short"];

  it("reports each, with where it is, and counts every container in the summary", async () => {
    const result = await runPullwarden(["audit", "-", "-o", "json"], {
      stdin: DEPLOYMENT([...refused, "nginx:1.27"]),
    });
    const report = parseJsonOutput<Report>(result);
    expect(result.code).toBe(1);
    const invalid = report.findings.filter((finding) => finding.ruleId === "PW108");
    expect(invalid.map((finding) => [finding.severity, finding.image, finding.location.field])).toEqual(
      refused.map((image, index) => ["error", image, `spec.template.spec.containers.${index}.image`]),
    );
    for (const finding of invalid) expect(finding.message).toMatch(/InvalidImageName/);
    expect(report.summary.containers).toBe(5);
    expect(report.summary.error).toBe(4);
  });

  it("says so in the text summary: containers, not parsed images", async () => {
    const result = await runPullwarden(["audit", "-"], { stdin: DEPLOYMENT(["Web", "nginx:1.27"]) });
    expect(result.stdout).toContain("PW108 image-reference-invalid  Deployment apps/web  stdin:8:");
    expect(result.stdout).toContain("1 error, 0 warnings, 0 info (1 object, 2 containers audited)");
  });
});
