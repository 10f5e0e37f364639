// explain on real-looking `kubectl describe pod` outputs (containerd 1.6 / 1.7 / 2.x, CRI-O, dockershim wordings),
// `kubectl get events` tables, Pod YAML with a newer kubelet's waiting message, and bare messages.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { explainText, parseDiagnosticText } from "../../src/doctor/index.js";
import type { ExplainReport } from "../../src/doctor/index.js";
import { REPO_ROOT } from "../support/index.js";

const NOW = new Date("2026-06-01T10:00:00Z");

function fixture(path: string): string {
  return readFileSync(join(REPO_ROOT, "testdata/doctor", path), "utf8");
}

function explainFile(path: string): ExplainReport {
  return explainText(fixture(path), { now: NOW });
}

interface DescribeCase {
  file: string;
  pod: string;
  namespace: string;
  top: string;
  runtime?: string;
  controller?: string;
  also?: string[];
  findings?: number;
}

const describeCases: DescribeCase[] = [
  {
    file: "containerd-1.7-ghcr-anonymous-401.txt",
    pod: "web-7d9c8b6f5-x2x7k",
    namespace: "shop",
    top: "registry-requires-auth",
    runtime: "containerd-1.7+",
    controller: "Deployment/web",
  },
  {
    file: "containerd-1.6-eks-ecr-no-basic-auth.txt",
    pod: "api-5f7b9c6d84-lq9zt",
    namespace: "shop",
    top: "eks-node-role-missing-ecr-pull",
    runtime: "containerd",
  },
  {
    file: "containerd-2-init-container-not-found.txt",
    pod: "migrate-job-8kq2n",
    namespace: "billing",
    top: "image-not-found",
    runtime: "containerd",
    controller: "Job/migrate-job",
  },
  {
    file: "crio-short-name.txt",
    pod: "report-6c8d9f7b5-9wmpl",
    namespace: "analytics",
    top: "short-name-unresolved",
    runtime: "cri-o",
  },
  {
    file: "crio-platform-arm64.txt",
    pod: "tool-7b8c9d6f4-2jxzq",
    namespace: "ops",
    top: "platform-not-available",
    runtime: "cri-o",
  },
  {
    file: "dockershim-dockerhub-rate-limit.txt",
    pod: "cache-0",
    namespace: "platform",
    top: "dockerhub-rate-limit",
    runtime: "dockershim",
    controller: "StatefulSet/cache",
  },
  {
    file: "containerd-1.7-aks-acr-401.txt",
    pod: "storefront-6b7f8d9c5-h4k2m",
    namespace: "shop",
    top: "aks-node-missing-acrpull",
    runtime: "containerd-1.7+",
  },
  {
    file: "containerd-1.7-missing-pull-secret.txt",
    pod: "web-59d8c7b6f4-tq8vn",
    namespace: "payments",
    top: "pull-secret-missing",
    runtime: "containerd-1.7+",
  },
  {
    file: "kubelet-invalid-image-name.txt",
    pod: "worker-69c6f8d7b9-zz5rw",
    namespace: "jobs",
    top: "invalid-image-name",
    runtime: "kubelet",
  },
  {
    file: "kubelet-never-pull.txt",
    pod: "devbox",
    namespace: "sandbox",
    top: "image-never-pull",
    runtime: "kubelet",
  },
  {
    file: "containerd-1.7-tls-unknown-authority.txt",
    pod: "api-6d7e8f9a0b-q1w2e",
    namespace: "internal",
    top: "tls-unknown-authority",
    runtime: "containerd",
  },
];

describe("explain on kubectl describe pod output", () => {
  it.each(describeCases.map((c) => [c.file, c] as const))("%s", (_file, c) => {
    const report = explainFile(`describe/${c.file}`);
    expect(report.format).toBe("describe");
    expect(report.pods).toHaveLength(1);
    const pod = report.pods[0]!;
    expect(pod.pod).toMatchObject({ name: c.pod, namespace: c.namespace });
    if (c.controller) expect(pod.pod?.controller).toBe(c.controller);
    expect(pod.diagnoses[0]?.id, JSON.stringify(pod.diagnoses.map((d) => [d.id, d.score]))).toBe(c.top);
    if (c.runtime) expect(pod.messages.some((m) => m.runtime === c.runtime)).toBe(true);
    expect(pod.unrecognised).toEqual([]);
    expect(pod.nextChecks.length).toBeGreaterThan(0);
    expect(pod.doctorCommand).toMatch(new RegExp(`^pullwarden doctor ${c.pod} -n ${c.namespace}`));
    expect(report.findings).toBeGreaterThan(0);
  });

  it("fixes an upper-case image with the lower-case one on the right Deployment", () => {
    const d = explainFile("describe/kubelet-invalid-image-name.txt").pods[0]!.diagnoses[0]!;
    expect(d.fix.commands).toEqual([
      "kubectl -n jobs set image deployment/worker worker=ghcr.io/acme/worker:1.0",
    ]);
  });

  it("ErrImageNeverPull on a kind node: load the image into the cluster", () => {
    const d = explainFile("describe/kubelet-never-pull.txt").pods[0]!.diagnoses[0]!;
    expect(d.fix.commands).toEqual(["kind load docker-image devbox:local --name kind"]);
  });

  it("attributes an init container's failure to the init container", () => {
    const d = explainFile("describe/containerd-2-init-container-not-found.txt").pods[0]!.diagnoses[0]!;
    expect(d.images).toEqual(["registry.example.com/billing/migrate:2.0.O"]);
    expect(d.containers).toEqual(["migrate"]);
  });

  it("names the missing secret from FailedToRetrieveImagePullSecret and suggests listing the namespace's", () => {
    const d = explainFile("describe/containerd-1.7-missing-pull-secret.txt").pods[0]!.diagnoses[0]!;
    expect(d.fix.commands[0]).toBe(
      "kubectl -n payments get secrets --field-selector type=kubernetes.io/dockerconfigjson",
    );
    expect(d.fix.commands[1]).toContain(
      "pullwarden secret create ghcr-pul -n payments --docker-server=ghcr.io",
    );
    expect(d.evidence.join("\n")).toContain("failed to fetch anonymous token");
  });

  it("reads the old 'kubelet, node' From column", () => {
    const parsed = parseDiagnosticText(fixture("describe/dockershim-dockerhub-rate-limit.txt"));
    const failed = parsed.pods[0]!.events.find((e) => e.reason === "Failed");
    expect(failed?.node).toBe("gke-prod-default-pool-3f2a1b4c-x7kq");
    expect(parsed.pods[0]!.node?.provider).toBe("gke");
  });

  it("explains each Pod of a multi-Pod describe, and a healthy one has no finding", () => {
    const report = explainFile("describe/two-pods.txt");
    expect(report.pods.map((p) => p.pod?.name)).toEqual(["web-7d9c8b6f5-aaaaa", "web-7d9c8b6f5-bbbbb"]);
    expect(report.pods[0]!.diagnoses[0]!.id).toBe("registry-access-denied");
    expect(report.pods[0]!.diagnoses.map((d) => d.id)).toContain("ghcr-read-packages-missing");
    expect(report.pods[0]!.diagnoses.map((d) => d.id)).not.toContain("ecr-token-expired");
    const healthy = report.pods[1]!;
    expect(healthy.diagnoses.map((d) => [d.id, d.informational])).toEqual([
      ["cached-image-credentials-verified", true],
    ]);
    // Two causes for the first Pod (the blurred 403 and its GHCR reading), none for the healthy one.
    expect(report.findings).toBe(2);
  });

  it("when the events have expired, says so and what doctor would read instead", () => {
    const pod = explainFile("describe/events-expired.txt").pods[0]!;
    expect(pod.diagnoses.map((d) => d.id)).toEqual(["image-pull-failed"]);
    expect(pod.diagnoses[0]!.fix.commands[0]).toBe(
      "kubectl -n shop get events --field-selector involvedObject.name=web-7d9c8b6f5-k8s7d",
    );
    expect(pod.nextChecks[0]).toMatch(/waiting message/);
  });

  it("reports unknown wording as unrecognised with the raw message", () => {
    const report = explainFile("describe/unknown-wording.txt");
    const pod = report.pods[0]!;
    expect(pod.unrecognised).toEqual([
      {
        where: "event Failed",
        cause: "unrecognised",
        runtime: "containerd",
        wording: "unrecognised",
        message:
          'Failed to pull image "registry.example.com/edge/proxy:4.0": rpc error: code = Unknown desc = failed to pull and unpack image "registry.example.com/edge/proxy:4.0": the image store is haunted, please consult your local exorcist',
      },
    ]);
    expect(pod.diagnoses).toEqual([]);
    expect(report.findings).toBe(1);
  });
});

describe("explain on other text", () => {
  it("kubectl get events: one entry per Pod", () => {
    const report = explainFile("text/get-events.txt");
    expect(report.format).toBe("events-table");
    expect(report.pods.map((p) => p.pod?.name)).toEqual(["api-5f7b9c6d84-lq9zt", "worker-6c9f8b7d5-p2q7r"]);
    expect(report.pods[0]!.diagnoses[0]!.id).toBe("registry-access-denied");
    expect(report.pods[1]!.diagnoses[0]!.id).toBe("pull-secret-missing");
  });

  it("Pod YAML: a newer kubelet's waiting message carries the previous error", () => {
    const report = explainFile("text/pod-newer-kubelet.yaml");
    expect(report.format).toBe("objects");
    const pod = report.pods[0]!;
    expect(pod.pod).toMatchObject({
      name: "report-6c8d9f7b5-9wmpl",
      namespace: "analytics",
      serviceAccount: "report",
    });
    expect(pod.diagnoses[0]!.id).toBe("image-not-found");
    expect(pod.diagnoses[0]!.evidence[0]).toMatch(
      /^container report: waiting, reason ImagePullBackOff: Back-off pulling image/,
    );
    expect(pod.messages[0]).toMatchObject({
      where: "container report waiting",
      cause: "image-not-found",
      runtime: "containerd",
    });
  });

  it("bare messages, including a describe row pasted without its header", () => {
    const report = explainFile("text/messages.txt");
    expect(report.format).toBe("messages");
    const pod = report.pods[0]!;
    expect(pod.pod).toBeUndefined();
    expect(pod.diagnoses[0]!.id).toBe("tls-unknown-authority");
    expect(pod.diagnoses[0]!.images).toEqual(["registry.corp.example/internal/api:7.1"]);
    expect(pod.unrecognised).toEqual([]);
    expect(pod.doctorCommand).toBe("pullwarden doctor <pod> -n <namespace>");
  });

  it.each([
    [
      "newer kubelet back-off (containerd 1.7)",
      'Back-off pulling image "ghcr.io/acme/web:1.4.2": ErrImagePull: failed to pull and unpack image "ghcr.io/acme/web:1.4.2": failed to resolve reference "ghcr.io/acme/web:1.4.2": failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://ghcr.io/token?scope=repository%3Aacme%2Fweb%3Apull&service=ghcr.io: 403 Forbidden',
      "credential-rejected",
    ],
    [
      "newer kubelet back-off (CRI-O registry unavailable)",
      'Back-off pulling image "registry.internal:5000/app:1.0": RegistryUnavailable: image pull failed for registry.internal:5000/app:1.0 because the registry is unavailable: pinging container registry registry.internal:5000: Get "https://registry.internal:5000/v2/": dial tcp: lookup registry.internal on 10.96.0.10:53: no such host',
      "dns-failure",
    ],
    [
      "an ECR expiry (CRI-O)",
      "reading manifest 2.3.1 in 123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/api: denied: Your authorization token has expired. Reauthenticate and try again.",
      "ecr-token-expired",
    ],
    [
      "containerd 2 schema 1",
      'failed to pull and unpack image "docker.io/acme/legacy:0.1": failed to resolve reference "docker.io/acme/legacy:0.1": not implemented: media type "application/vnd.docker.distribution.manifest.v1+prettyjws" is no longer supported since containerd v2.0',
      "schema1-unsupported",
    ],
  ])("%s", (_name, text, cause) => {
    const report = explainText(text, { now: NOW });
    expect(report.pods[0]!.diagnoses[0]!.id).toBe(cause);
    expect(report.findings).toBeGreaterThan(0);
  });

  it("text with nothing about pulls has no finding", () => {
    for (const text of ["", "\n\n", "hello world", "Name: x\nNamespace: y\nEvents: <none>\n"]) {
      expect(explainText(text, { now: NOW }).findings).toBe(0);
    }
  });

  it("unrecognised lines that are no pull error are counted, not shown; pull-like ones are shown and count as findings", () => {
    const report = explainText("first strange line\nsecond strange line\n", { now: NOW });
    expect(report.pods[0]!.unrecognised).toEqual([]);
    expect(report.pods[0]!.notShown).toEqual({ lines: 2, pullFailures: 0 });
    expect(report.findings).toBe(0);
    const pullLike = explainText("rpc error: code = Unknown desc = the registry ate my image\n", {
      now: NOW,
    });
    expect(pullLike.pods[0]!.unrecognised.map((m) => m.message)).toEqual([
      "rpc error: code = Unknown desc = the registry ate my image",
    ]);
    expect(pullLike.pods[0]!.notShown).toBeUndefined();
    expect(pullLike.findings).toBe(1);
  });

  it("shows at most five unrecognised pull errors, none too long to read; the rest are counted and still findings", () => {
    const errors = Array.from(
      { length: 7 },
      (_, i) => `rpc error: code = Unknown desc = strange failure ${i}`,
    );
    const long = `rpc error: code = Unknown desc = ${"very ".repeat(500)}long`;
    const report = explainText(`${[long, ...errors].join("\n")}\nnothing to see here\n`, { now: NOW });
    const pod = report.pods[0]!;
    expect(pod.unrecognised.map((m) => m.message)).toEqual(errors.slice(0, 5));
    expect(pod.notShown).toEqual({ lines: 4, pullFailures: 3 });
    expect(report.findings).toBe(8);
  });
});

describe("wording of what explain prints", () => {
  it("counts are in the singular for one (1 more message, not 1 more messages)", () => {
    const messages = Array.from(
      { length: 5 },
      (_, i) =>
        `Failed to pull image "registry.example.com/app:1": rpc error: code = Unknown desc = failed to pull and unpack image "registry.example.com/app:1": failed to resolve reference "registry.example.com/app:1": failed to do request: Head "https://registry.example.com/v2/app/manifests/1": tls: failed to verify certificate: x509: certificate signed by unknown authority (attempt ${i})`,
    );
    const report = explainText(messages.join("\n"), { now: NOW });
    const evidence = report.pods.flatMap((p) => p.diagnoses.flatMap((d) => d.evidence));
    expect(evidence).toContain("(1 more message of the same kind)");
  });

  it("no output of any fixture has a plural after 1 or the old raw-message wording", () => {
    const dirs = ["describe", "text"].map((d) => join(REPO_ROOT, "testdata/doctor", d));
    for (const dir of dirs) {
      for (const file of readdirSync(dir)) {
        const text = JSON.stringify(explainText(readFileSync(join(dir, file), "utf8"), { now: NOW }));
        expect(text, file).not.toMatch(/\b1 (?:more )?(?:lines|messages|Pods|causes|entries|secrets)\b/);
        expect(text, file).not.toMatch(/here is the raw|speaks plain HTTP, the/);
      }
    }
  });
});
