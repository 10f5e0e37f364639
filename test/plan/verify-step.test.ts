// The verify step of a plan and what its README says about it must agree, for every method: each image a layout
// lists is pull-checked (with the namespace's secret, with a token from the operator's own cloud login where the
// nodes pull with an identity or a credential provider, or anonymously), the README claims only what the
// script checks and needs, and offers `apply -f` only when there is a Kubernetes part. The generated script is
// run by the real bash with recording stand-ins for the cloud CLIs and pullwarden.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { planFromLayoutText, renderPlanFiles } from "../../src/plan/index.js";
import { goldenCases, NOW, readCase, requireBinary } from "./helpers.js";

const scratch = mkdtempSync(join(tmpdir(), "pullwarden-verify-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function render(layout: string) {
  const plan = planFromLayoutText(layout, { source: "layout.yaml", now: NOW });
  const files = renderPlanFiles(plan, { layoutSource: "layout.yaml" });
  const file = (suffix: string): string => files.find((f) => f.path.endsWith(suffix))?.content ?? "";
  return { plan, verify: file("-verify.sh"), readme: file("README.md") };
}

describe.each(goldenCases())("%s: README and verify script agree", (name) => {
  const { plan, verify, readme } = render(readCase(name));
  const verifySection = readme.slice(readme.indexOf("## Verify"));

  it("every listed image is pull-checked, whatever the method", () => {
    const checked = verify
      .split("\n")
      .filter((line) => /pullwarden check /.test(line))
      .join("\n");
    for (const namespace of plan.namespaces) {
      for (const image of namespace.images) expect(checked, `${namespace.name}: ${image}`).toContain(image);
    }
    const listed = plan.namespaces.some((n) => n.images.length > 0);
    expect(verifySection.includes("No images are listed")).toBe(!listed);
    expect(/listed image/.test(verifySection.split("\n")[2] ?? "")).toBe(listed);
  });

  it("the README claims only checks the script makes, and the logins it needs", () => {
    const claims: Array<[RegExp, RegExp]> = [
      [/the cloud grants/, /^(aws iam|az aks check-acr|gcloud projects get-iam-policy) /m],
      [/every pull secret/, /pullwarden secret inspect -/],
      [/every ServiceAccount binding/, /^check_binding /m],
      [/with its namespace's secret/, /pullwarden check .* --secret -/],
      [/with a token from your own aws login/, /^aws ecr get-login-password .*\|$/m],
      [/with a token from your own az login/, /^az acr login .*--expose-token.*\|$/m],
      [/with a token from your own gcloud login/, /^gcloud auth print-access-token \|$/m],
      [/anonymously, as kubelet pulls them/, /^pullwarden check [^|]*\|\| fail/m],
    ];
    for (const [claim, command] of claims) {
      expect(claim.test(verifySection), `${claim} in README vs ${command} in verify`).toBe(
        command.test(verify),
      );
    }
    const verifyStep = readme.split("\n").find((l) => l.includes("-verify.sh`")) ?? "";
    const needsLine = readme.split("\n")[readme.split("\n").indexOf(verifyStep) + 1] ?? "";
    expect(/Needs AWS credentials/.test(needsLine)).toBe(/^\s*aws /m.test(verify));
    expect(/Needs .*Azure login/.test(needsLine)).toBe(/^\s*az /m.test(verify));
    expect(/Needs .*Google Cloud login/.test(needsLine)).toBe(/^\s*gcloud /m.test(verify));
  });

  it("offers apply -f only when the plan has a Kubernetes part", () => {
    expect(readme.includes("pullwarden apply -f")).toBe(plan.spec.secrets.length > 0);
    expect(readme.includes("pullwarden secret match")).toBe(plan.spec.secrets.length > 0);
  });
});

describe("the EKS plan's verify step, run", () => {
  const TOKEN = "ecr-token-value-never-on-argv";
  const layout = readCase("eks-ecr");
  const { verify } = render(layout);

  /** Runs the script with stand-ins that record their argv and stdin; `CHECK_EXIT` is pullwarden check's exit. */
  function run(checkExit: number) {
    const dir = join(scratch, `run-${checkExit}`);
    const bin = join(dir, "bin");
    mkdirSync(bin, { recursive: true });
    // Each records one line once its input is read, so the lines of a pipeline come in order.
    const standIn = (tool: string, body: string, stdin = ""): void => {
      writeFileSync(
        join(bin, tool),
        `#!/bin/sh\n${stdin}printf '%s\\n' "${tool} $*${stdin ? " <<< $input" : ""}" >>"${dir}/calls"\n${body}\n`,
      );
      chmodSync(join(bin, tool), 0o755);
    };
    standIn(
      "aws",
      [
        'case "$*" in',
        `  "ecr get-login-password"*) printf '%s' "${TOKEN}" ;;`,
        "  *list-attached-role-policies*) echo AmazonEC2ContainerRegistryPullOnly ;;",
        "esac",
      ].join("\n"),
    );
    standIn("pullwarden", `exit ${checkExit}`, 'input="$(cat)"\n');
    writeFileSync(join(dir, "verify.sh"), verify);
    const result = spawnSync(requireBinary("bash"), [join(dir, "verify.sh")], {
      env: { PATH: `${bin}:/usr/bin:/bin` },
      encoding: "utf8",
    });
    return { ...result, calls: readFileSync(join(dir, "calls"), "utf8") };
  }

  it("checks each listed image with a token from the operator's aws login, on stdin only", () => {
    const result = run(0);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.calls).toBe(
      [
        "aws iam list-attached-role-policies --role-name prod-euw1-nodes --query AttachedPolicies[].PolicyName --output text",
        "aws ecr get-login-password --region eu-west-1",
        `pullwarden check 111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:1.4 --username=AWS --password-stdin <<< ${TOKEN}`,
        "aws ecr get-login-password --region us-east-1",
        `pullwarden check 111122223333.dkr.ecr-fips.us-east-1.amazonaws.com/api-fips:1.4 --username=AWS --password-stdin <<< ${TOKEN}`,
        "",
      ].join("\n"),
    );
  });

  it("fails, naming the registry, when an image cannot be pulled", () => {
    const result = run(1);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      [
        "FAILED: pull from ecr (111122223333.dkr.ecr.eu-west-1.amazonaws.com)",
        "FAILED: pull from ecr-us (111122223333.dkr.ecr-fips.us-east-1.amazonaws.com)",
        "",
      ].join("\n"),
    );
  });
});
