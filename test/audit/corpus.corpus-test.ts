// The real-world corpus (../shared/corpus: 217 published manifest files of 32 projects). Every error-level
// finding is listed here with why it is a true problem; anything else at error level is a bug in a rule.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseJsonOutput, runPullwarden } from "../cli/run-cli.js";
import { REPO_ROOT } from "../support/index.js";

// The reference corpus of public manifests lives beside the repository, not in it, so this suite runs on its own
// (`npm run test:corpus`) and fails, rather than skips, when the corpus is not there.
const CORPUS = process.env["PULLWARDEN_CORPUS"] ?? join(REPO_ROOT, "../shared/corpus");

interface Report {
  summary: { error: number; warning: number; info: number; objects: number; containers: number };
  inputProblems: { severity: string; message: string }[];
  findings: {
    ruleId: string;
    severity: string;
    location: { file?: string; kind: string; namespace?: string; name: string };
  }[];
}

/** `rule file kind namespace/name` → why it is a real problem. */
const TRUE_ERRORS: Record<string, string> = {
  "PW101 istio__istio/pkg/kube/inject/testdata/inject/hello-image-pull-secret.yaml Deployment default/hello":
    "imagePullSecrets names fooSecret, which no Secret can be called (uppercase is not allowed in Secret names): the reference can never resolve.",
  "PW102 derailed__popeye/internal/lint/testdata/core/secret/1.yaml Secret default/sec3":
    "Pod p2 lists sec3 in imagePullSecrets, but sec3 is a kubernetes.io/service-account-token Secret: kubelet skips it and pulls without credentials.",
  "PW103 kubernetes__website/content/en/examples/secret/dockercfg-secret.yaml Secret default/secret-dockercfg":
    'A kubernetes.io/dockercfg Secret whose payload is wrapped in {"auths":…}: kubelet reads "auths" as a registry name and finds no credentials (the corpus README calls this example out).',
  "PW202 fluxcd__flux2/cmd/flux/testdata/create_secret/oci/create-secret.yaml Secret my-namespace/ghcr":
    'The ghcr.io password is the literal string "password": ghcr.io takes only GitHub tokens (classic PATs), never an account password.',
  "PW501 alexellis__registry-creds/manifest.yaml ClusterRoleBinding registry-creds-registry-creds-rolebinding":
    "Binds get/list/watch on every Secret in the cluster to the namespace's default ServiceAccount: every Pod in registry-creds-system that does not name another ServiceAccount can read all Secrets.",
};

/** Input problems in the corpus, each a real defect of the file. */
const TRUE_INPUT_PROBLEMS: Record<string, string> = {
  "error upmc-enterprises__registry-creds/k8s/secret.yaml:34:3: Map keys must be unique":
    "AWS_SESSION_TOKEN appears twice in the Secret's data; kubectl refuses duplicate keys (the other documents of the file are still audited).",
  'warning tamcore__imagepullsecret-patcher/deploy/helm/_generated/rbac/role.yaml:2: ClusterRole has no metadata.name; audited as "(unnamed)"':
    "`metadata: {}`: a generated ClusterRole without a name, which the API server rejects.",
};

describe("real-world corpus", () => {
  it("is present", () => {
    expect(existsSync(CORPUS), `corpus not found at ${CORPUS}: set PULLWARDEN_CORPUS`).toBe(true);
  });

  it("has only documented error-level findings and input problems", async () => {
    const result = await runPullwarden(["audit", CORPUS, "-o", "json"], { cwd: REPO_ROOT });
    const report = parseJsonOutput<Report>(result);
    expect(report.summary.objects).toBeGreaterThan(600);
    const strip = (file: string | undefined) => (file ?? "").replace(/^.*shared\/corpus\//, "");
    const errors = report.findings
      .filter((finding) => finding.severity === "error")
      .map((finding) => {
        const { kind, namespace, name, file } = finding.location;
        return `${finding.ruleId} ${strip(file)} ${kind} ${namespace === undefined ? name : `${namespace}/${name}`}`;
      })
      .sort();
    expect(errors).toEqual(Object.keys(TRUE_ERRORS).sort());
    const problems = report.inputProblems
      .map((problem) => `${problem.severity} ${problem.message.replace(/^.*shared\/corpus\//, "")}`)
      .sort();
    expect(problems).toEqual(Object.keys(TRUE_INPUT_PROBLEMS).sort());
    // One unparseable document is an input error: exit 3, with everything else audited.
    expect(result.code).toBe(3);
  }, 60_000);
});
