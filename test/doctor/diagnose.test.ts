// Table-driven diagnose tests: one scenario per cause, with Evidence built from API objects exactly as the live
// gatherer will build it. Each case names the cause that must rank first, evidence it must show and a command
// its fix must contain; every case also checks that no planted secret value reaches the output.
import { describe, expect, it } from "vitest";
import { describeGaps, diagnose } from "../../src/doctor/index.js";
import type { Diagnosis, Evidence } from "../../src/doctor/index.js";
import {
  NOW,
  PLANTED,
  aksNode,
  dockerSecret,
  eksNode,
  event,
  evidence,
  failedEvent,
  node,
  pod,
  probe,
  serviceAccount,
  tokens,
} from "./fixtures.js";
import type { Scenario } from "./fixtures.js";

const GH = "ghcr.io/acme/web:1.4.2";
const HUB = "docker.io/acme/private:1.0";
const ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api:2.3.1";
const ECR_HOST = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
const ACR = "contosoacr.azurecr.io/shop/web:1.0.7";

const resolve = (image: string, tail: string) =>
  `rpc error: code = Unknown desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${tail}`;
const anonymous401 = (image: string, host: string) =>
  resolve(
    image,
    `failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://${host}/token?scope=repository%3Ax%3Apull&service=${host}: 401 Unauthorized`,
  );
const noBasicAuth = (image: string) =>
  resolve(
    image,
    "pull access denied, repository does not exist or may require authorization: authorization failed: no basic auth credentials",
  );
const head403 = (image: string, host: string) =>
  resolve(image, `unexpected status from HEAD request to https://${host}/v2/x/manifests/1: 403 Forbidden`);

const waiting = (image: string, message?: string) => ({
  name: "c0",
  image,
  reason: "ErrImagePull",
  ...(message ? { message } : {}),
});

interface Case {
  name: string;
  scenario: Scenario;
  top: Diagnosis["id"];
  evidence?: RegExp[];
  command?: RegExp;
  title?: RegExp;
}

const cases: Case[] = [
  {
    name: "secret missing from the namespace",
    scenario: {
      pod: pod({ containers: [waiting(GH)], imagePullSecrets: ["ghcr-pull"] }),
      events: [
        failedEvent(GH, anonymous401(GH, "ghcr.io")),
        event(
          "FailedToRetrieveImagePullSecret",
          "Unable to retrieve some image pull secrets (ghcr-pull); attempting to pull the image may not succeed.",
        ),
      ],
      missing: ["ghcr-pull"],
      namespaceSecrets: [dockerSecret("tls-cert", "shop", {}, { type: "kubernetes.io/tls", key: "tls.crt" })],
    },
    top: "pull-secret-missing",
    evidence: [
      /ghcr-pull, and namespace shop has no Secret of that name/,
      /FailedToRetrieveImagePullSecret/,
      /anonymous token/,
    ],
    command: /pullwarden secret create ghcr-pull -n shop --docker-server=ghcr\.io/,
  },
  {
    name: "same-named secret in another namespace: create it in this one",
    scenario: {
      pod: pod({ containers: [waiting(GH)], imagePullSecrets: ["ghcr-pull"] }),
      events: [failedEvent(GH, anonymous401(GH, "ghcr.io"))],
      missing: ["ghcr-pull"],
      elsewhere: [
        { name: "ghcr-pull", namespaces: [{ namespace: "default", type: "kubernetes.io/dockerconfigjson" }] },
      ],
    },
    top: "pull-secret-in-other-namespace",
    evidence: [/exists in namespace default; Pods can only use pull secrets of their own namespace/],
    command:
      /kubectl -n shop create secret generic ghcr-pull --type=kubernetes\.io\/dockerconfigjson --from-file=\.dockerconfigjson=<\(kubectl -n default get secret ghcr-pull/,
  },
  {
    name: "typo in the secret name",
    scenario: {
      pod: pod({ containers: [waiting(GH)], imagePullSecrets: ["ghcr-pul"] }),
      events: [failedEvent(GH, anonymous401(GH, "ghcr.io"))],
      missing: ["ghcr-pul"],
      namespaceSecrets: [
        dockerSecret("ghcr-pull", "shop", { "ghcr.io": { username: "bot", password: tokens.classicPat() } }),
        dockerSecret("default-token", "shop", {}),
      ],
    },
    top: "pull-secret-name-typo",
    title: /"ghcr-pul" is misspelled: namespace shop has "ghcr-pull"/,
    command:
      /kubectl -n shop patch deployment\/web --type=json -p '\[\{"op":"add","path":"\/spec\/template\/spec\/imagePullSecrets","value":\[\{"name":"ghcr-pull"\}\]\}\]'/,
  },
  {
    name: "wrong type (Opaque holding .dockerconfigjson)",
    scenario: {
      pod: pod({ containers: [waiting(GH)], imagePullSecrets: ["regcred"] }),
      events: [failedEvent(GH, anonymous401(GH, "ghcr.io"))],
      secrets: [
        dockerSecret(
          "regcred",
          "shop",
          { "ghcr.io": { username: "bot", password: tokens.classicPat() } },
          { type: "Opaque" },
        ),
      ],
    },
    top: "pull-secret-wrong-type",
    evidence: [
      /holds \.dockerconfigjson but has type Opaque; kubelet uses it only with type kubernetes\.io\/dockerconfigjson/,
    ],
    command: /create secret generic regcred-dockerconfigjson --type=kubernetes\.io\/dockerconfigjson/,
  },
  {
    name: "wrong key (config.json)",
    scenario: {
      pod: pod({ containers: [waiting(GH)], imagePullSecrets: ["regcred"] }),
      events: [failedEvent(GH, anonymous401(GH, "ghcr.io"))],
      secrets: [
        dockerSecret(
          "regcred",
          "shop",
          { "ghcr.io": { username: "bot", password: tokens.classicPat() } },
          { type: "Opaque", key: "config.json" },
        ),
      ],
    },
    top: "pull-secret-wrong-key",
    evidence: [/has type Opaque and keys config\.json/],
    command: /index \.data "config\.json" \| base64decode/,
  },
  {
    name: "malformed secret fails every pull",
    scenario: {
      pod: pod({ containers: [waiting(GH)], imagePullSecrets: ["regcred"] }),
      secrets: [
        dockerSecret("regcred", "shop", {}, { raw: '{"auths":{"ghcr.io":{"auth":"not base64!!"}}}' }),
      ],
    },
    top: "pull-secret-malformed",
    evidence: [/auth-not-base64/, /every image pull of the Pod/],
  },
  {
    name: "garbage secret data (not JSON)",
    scenario: {
      pod: pod({ containers: [waiting(GH)], imagePullSecrets: ["regcred"] }),
      secrets: [dockerSecret("regcred", "shop", {}, { raw: "\u0001\u0002 garbage {{{" })],
    },
    top: "pull-secret-malformed",
    evidence: [/cannot be read/],
  },
  {
    name: "secret keyed ghcr.io, image on docker.io",
    scenario: {
      pod: pod({ containers: [waiting(HUB)], imagePullSecrets: ["regcred"] }),
      events: [
        failedEvent(
          HUB,
          resolve(
            HUB,
            "pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed",
          ),
        ),
      ],
      secrets: [
        dockerSecret("regcred", "shop", { "ghcr.io": { username: "bot", password: tokens.classicPat() } }),
      ],
    },
    top: "pull-secret-host-mismatch",
    evidence: [
      /key ghcr\.io \(kubelet key ghcr\.io\) does not match docker\.io\/acme\/private: the host differs/,
    ],
    command: /--docker-server=docker\.io/,
  },
  {
    name: "secret keyed registry-1.docker.io",
    scenario: {
      pod: pod({ containers: [waiting(HUB)], imagePullSecrets: ["hub"] }),
      events: [
        failedEvent(
          HUB,
          resolve(
            HUB,
            "failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://auth.docker.io/token?scope=repository%3Aacme%2Fprivate%3Apull&service=registry.docker.io: 401 Unauthorized",
          ),
        ),
      ],
      secrets: [
        dockerSecret("hub", "shop", {
          "registry-1.docker.io": { username: "acme", password: tokens.password() },
        }),
      ],
    },
    top: "pull-secret-host-mismatch",
    evidence: [/kubelet never matches registry-1\.docker\.io/],
  },
  {
    name: "ServiceAccount patched after the Pod was admitted",
    scenario: {
      pod: pod({ containers: [waiting(GH)], createdAt: "2026-06-01T09:00:00Z" }),
      events: [failedEvent(GH, anonymous401(GH, "ghcr.io"))],
      serviceAccount: serviceAccount("default", ["ghcr-pull"], { changedAt: "2026-06-01T09:30:00Z" }),
      secrets: [
        dockerSecret("ghcr-pull", "shop", { "ghcr.io": { username: "bot", password: tokens.classicPat() } }),
      ],
    },
    top: "serviceaccount-patched-after-pod",
    evidence: [
      /ServiceAccount default now lists \[ghcr-pull\] \(last changed 2026-06-01T09:30:00\.000Z\)/,
      /ghcr-pull would serve ghcr\.io\/acme\/web:1\.4\.2/,
    ],
    command: /kubectl -n shop rollout restart deployment\/web/,
  },
  {
    name: "Pod with its own imagePullSecrets never gets the ServiceAccount's",
    scenario: {
      pod: pod({ containers: [waiting(GH)], imagePullSecrets: ["hub"] }),
      events: [failedEvent(GH, anonymous401(GH, "ghcr.io"))],
      serviceAccount: serviceAccount("default", ["ghcr-pull"]),
      secrets: [
        dockerSecret("hub", "shop", { "docker.io": { username: "acme", password: tokens.password() } }),
        dockerSecret("ghcr-pull", "shop", { "ghcr.io": { username: "bot", password: tokens.classicPat() } }),
      ],
    },
    top: "pod-overrides-serviceaccount-secrets",
    command: /"value":\[\{"name":"hub"\},\{"name":"ghcr-pull"\}\]/,
  },
  {
    name: "expired ECR token in a static secret",
    scenario: {
      pod: pod({ containers: [waiting(ECR)], imagePullSecrets: ["ecr"] }),
      events: [failedEvent(ECR, head403(ECR, ECR_HOST))],
      secrets: [
        dockerSecret("ecr", "shop", { [ECR_HOST]: { username: "AWS", password: tokens.ecr(-3600) } }),
      ],
    },
    top: "ecr-token-expired",
    evidence: [/expired at 2026-06-01T09:00:00\.000Z/],
    command: /aws ecr get-login-password --region eu-west-1 \| pullwarden secret create ecr -n shop/,
  },
  {
    name: "GitHub App installation token on ghcr.io",
    scenario: {
      pod: pod({ containers: [waiting(GH)], imagePullSecrets: ["ghcr-pull"] }),
      events: [failedEvent(GH, head403(GH, "ghcr.io"))],
      secrets: [
        dockerSecret("ghcr-pull", "shop", {
          "ghcr.io": { username: "x-access-token", password: tokens.appToken() },
        }),
      ],
    },
    top: "credential-kind-rejected",
    evidence: [/does not accept App installation tokens/],
    title: /ghcr\.io does not accept the GitHub/,
  },
  {
    name: "fine-grained PAT on ghcr.io",
    scenario: {
      pod: pod({ containers: [waiting(GH)], imagePullSecrets: ["ghcr-pull"] }),
      events: [failedEvent(GH, head403(GH, "ghcr.io"))],
      secrets: [
        dockerSecret("ghcr-pull", "shop", {
          "ghcr.io": { username: "bot", password: tokens.fineGrainedPat() },
        }),
      ],
    },
    top: "credential-kind-rejected",
    evidence: [/fine-grained personal access tokens are not accepted/],
  },
  {
    name: "classic PAT without read:packages (probe answer)",
    scenario: {
      pod: pod({ containers: [waiting(GH)], imagePullSecrets: ["ghcr-pull"] }),
      events: [failedEvent(GH, head403(GH, "ghcr.io"))],
      secrets: [
        dockerSecret("ghcr-pull", "shop", { "ghcr.io": { username: "bot", password: tokens.classicPat() } }),
      ],
      probes: [
        probe(
          GH,
          { kind: "secret", secret: "ghcr-pull", key: "ghcr.io" },
          { outcome: "denied", status: 403, message: "ghcr.io denied the pull (403 DENIED)" },
        ),
      ],
    },
    top: "ghcr-read-packages-missing",
    evidence: [
      /probe with Secret ghcr-pull key ghcr\.io: denied/,
      /kubelet tries #1: Secret shop\/ghcr-pull key ghcr\.io \(GitHub personal access token \(classic\)\)/,
    ],
    command: /x-oauth-scopes/,
  },
  {
    name: "classic PAT whose scopes lack read:packages",
    scenario: {
      pod: pod({ containers: [waiting(GH)], imagePullSecrets: ["ghcr-pull"] }),
      secrets: [
        dockerSecret("ghcr-pull", "shop", { "ghcr.io": { username: "bot", password: tokens.classicPat() } }),
      ],
      probes: [
        probe(
          GH,
          { kind: "secret", secret: "ghcr-pull", key: "ghcr.io" },
          { outcome: "denied", status: 403 },
          ["repo", "workflow"],
        ),
      ],
    },
    top: "ghcr-read-packages-missing",
    evidence: [/the token's scopes are \[repo, workflow\]: no read:packages/],
  },
  {
    name: "AKS node without AcrPull for an ACR image",
    scenario: {
      pod: pod({ containers: [waiting(ACR)], node: "aks-nodepool1-38291746-vmss000002" }),
      events: [failedEvent(ACR, anonymous401(ACR, "contosoacr.azurecr.io"))],
      node: aksNode(),
    },
    top: "aks-node-missing-acrpull",
    evidence: [/kubelet identity \(acr-credential-provider\) is the only pull path/],
    command:
      /az role assignment create --assignee 5d0c2e0f-3b7a-4c1e-9f2d-6a8b7c9d0e1f --role AcrPull --scope "\$\(az acr show --name contosoacr --query id --output tsv\)"/,
  },
  {
    name: "EKS node role without ECR pull permission",
    scenario: {
      pod: pod({ containers: [waiting(ECR)], node: "ip-10-0-1-23.eu-west-1.compute.internal" }),
      events: [failedEvent(ECR, noBasicAuth(ECR))],
      node: eksNode(),
    },
    top: "eks-node-role-missing-ecr-pull",
    evidence: [/no basic auth credentials: the credential provider gave kubelet nothing/],
    command:
      /aws eks describe-nodegroup --cluster-name shop --nodegroup-name general --query nodegroup\.nodeRole/,
  },
  {
    name: "node clock ahead (lease) with a not-yet-valid certificate",
    scenario: {
      pod: pod({ containers: [waiting("registry.corp.example/app:1.0")] }),
      events: [
        failedEvent(
          "registry.corp.example/app:1.0",
          resolve(
            "registry.corp.example/app:1.0",
            'failed to do request: Head "https://registry.corp.example/v2/app/manifests/1.0": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2026-06-01T10:20:00Z is after 2026-06-01T10:15:00Z',
          ),
        ),
      ],
      node: node({}),
      lease: { spec: { renewTime: "2026-06-01T10:20:00.000000Z" } },
      observedAt: NOW,
    },
    top: "clock-skew",
    title: /clock of node worker-2 is about 20 min ahead/,
  },
  {
    name: "token not yet valid (issuer clock ahead)",
    scenario: {
      pod: pod({ containers: [waiting(ACR)], imagePullSecrets: ["acr"] }),
      events: [
        failedEvent(
          ACR,
          resolve(
            ACR,
            "failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://contosoacr.azurecr.io/oauth2/token: 401 Unauthorized",
          ),
        ),
      ],
      secrets: [
        dockerSecret("acr", "shop", {
          "contosoacr.azurecr.io": {
            username: "00000000-0000-0000-0000-000000000000",
            password: tokens.acrRefresh("contosoacr.azurecr.io", 1800),
          },
        }),
      ],
    },
    top: "clock-skew",
    evidence: [/is not valid before/],
  },
  {
    name: "tag not found (message)",
    scenario: {
      pod: pod({ containers: [waiting("ghcr.io/acme/web:9.9.9")], imagePullSecrets: ["ghcr-pull"] }),
      events: [
        failedEvent(
          "ghcr.io/acme/web:9.9.9",
          resolve("ghcr.io/acme/web:9.9.9", "ghcr.io/acme/web:9.9.9: not found"),
        ),
      ],
      secrets: [
        dockerSecret("ghcr-pull", "shop", { "ghcr.io": { username: "bot", password: tokens.classicPat() } }),
      ],
    },
    top: "image-not-found",
    command: /skopeo list-tags docker:\/\/ghcr\.io\/acme\/web/,
  },
  {
    name: "repository not found (probe with a working credential)",
    scenario: {
      pod: pod({ containers: [waiting("ghcr.io/acme/wbe:1.0")], imagePullSecrets: ["ghcr-pull"] }),
      events: [failedEvent("ghcr.io/acme/wbe:1.0", head403("ghcr.io/acme/wbe:1.0", "ghcr.io"))],
      secrets: [
        dockerSecret("ghcr-pull", "shop", { "ghcr.io": { username: "bot", password: tokens.classicPat() } }),
      ],
      probes: [
        probe("ghcr.io/acme/wbe:1.0", { kind: "secret", secret: "ghcr-pull", key: "ghcr.io" }, {
          outcome: "not-found",
          what: "repository",
          status: 404,
        } as never),
      ],
    },
    top: "image-not-found",
    evidence: [/what is missing: repository/],
  },
  {
    name: "no image for the node's platform",
    scenario: {
      pod: pod({ containers: [waiting("quay.io/acme/tool:2.0")], node: "arm-1" }),
      events: [
        failedEvent(
          "quay.io/acme/tool:2.0",
          'rpc error: code = NotFound desc = failed to pull and unpack image "quay.io/acme/tool:2.0": no match for platform in manifest: not found',
        ),
      ],
      node: node({ name: "arm-1", arch: "arm64" }),
      probes: [
        probe("quay.io/acme/tool:2.0", { kind: "anonymous" }, {
          outcome: "platform-missing",
          platform: { os: "linux", architecture: "arm64" },
          available: [{ os: "linux", architecture: "amd64" }],
          digest: "sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31",
          mediaType: "application/vnd.oci.image.index.v1+json",
        } as never),
      ],
    },
    top: "platform-not-available",
    evidence: [/the image is published for: linux\/amd64/, /node arm-1 is linux\/arm64/],
    command: /"nodeSelector":\{"kubernetes\.io\/arch":"amd64"\}/,
  },
  {
    name: "InvalidImageName (upper-case repository)",
    scenario: {
      pod: pod({
        containers: [
          {
            name: "c0",
            image: "ghcr.io/Acme/Web:1.0",
            reason: "InvalidImageName",
            message:
              'Failed to apply default image tag "ghcr.io/Acme/Web:1.0": couldn\'t parse image name "ghcr.io/Acme/Web:1.0": invalid reference format: repository name (Acme/Web) must be lowercase',
          },
        ],
      }),
    },
    top: "invalid-image-name",
    command: /kubectl -n shop set image deployment\/web c0=ghcr\.io\/acme\/web:1\.0/,
  },
  {
    name: "ErrImageNeverPull",
    scenario: {
      pod: pod({
        containers: [
          {
            name: "c0",
            image: "devbox:local",
            reason: "ErrImageNeverPull",
            message: 'Container image "devbox:local" is not present with pull policy of Never',
            pullPolicy: "Never",
          },
        ],
      }),
    },
    top: "image-never-pull",
    command:
      /ctr -n k8s\.io images import image\.tar[^\n]*\n.*"path":"\/spec\/template\/spec\/containers\/0\/imagePullPolicy","value":"IfNotPresent"/,
  },
  {
    name: "TLS unknown authority",
    scenario: {
      pod: pod({ containers: [waiting("registry.corp.example/app:1.0")] }),
      events: [
        failedEvent(
          "registry.corp.example/app:1.0",
          resolve(
            "registry.corp.example/app:1.0",
            'failed to do request: Head "https://registry.corp.example/v2/app/manifests/1.0": tls: failed to verify certificate: x509: certificate signed by unknown authority',
          ),
        ),
      ],
      node: node({}),
    },
    top: "tls-unknown-authority",
    command: /\/etc\/containerd\/certs\.d\/registry\.corp\.example\/hosts\.toml/,
  },
  {
    name: "registry speaking HTTP",
    scenario: {
      pod: pod({ containers: [waiting("10.0.0.5:5000/app:1.0")] }),
      events: [
        failedEvent(
          "10.0.0.5:5000/app:1.0",
          resolve(
            "10.0.0.5:5000/app:1.0",
            'failed to do request: Head "https://10.0.0.5:5000/v2/app/manifests/1.0": http: server gave HTTP response to HTTPS client',
          ),
        ),
      ],
      node: node({ runtime: "cri-o://1.30.4" }),
    },
    top: "registry-speaks-http",
    command: /registries\.conf\.d/,
  },
  {
    name: "DNS failure",
    scenario: {
      pod: pod({ containers: [waiting("registry.internal.example/app:1.0")] }),
      events: [
        failedEvent(
          "registry.internal.example/app:1.0",
          resolve(
            "registry.internal.example/app:1.0",
            'failed to do request: Head "https://registry.internal.example/v2/app/manifests/1.0": dial tcp: lookup registry.internal.example on 10.96.0.10:53: no such host',
          ),
        ),
      ],
    },
    top: "dns-failure",
    command: /kubectl debug node\/worker-2 -it --image=busybox:1\.36 -- nslookup registry\.internal\.example/,
  },
  {
    name: "timeout",
    scenario: {
      pod: pod({ containers: [waiting(ECR)], imagePullSecrets: ["ecr"] }),
      events: [
        failedEvent(
          ECR,
          resolve(
            ECR,
            `failed to do request: Head "https://${ECR_HOST}/v2/shop/api/manifests/2.3.1": dial tcp 52.94.1.10:443: i/o timeout`,
          ),
        ),
      ],
      secrets: [
        dockerSecret("ecr", "shop", { [ECR_HOST]: { username: "AWS", password: tokens.ecr(6 * 3600) } }),
      ],
    },
    top: "network-timeout",
  },
  {
    name: "connection refused",
    scenario: {
      pod: pod({ containers: [waiting("10.0.0.5:5000/app:1.0")] }),
      events: [
        failedEvent(
          "10.0.0.5:5000/app:1.0",
          resolve(
            "10.0.0.5:5000/app:1.0",
            'failed to do request: Head "https://10.0.0.5:5000/v2/app/manifests/1.0": dial tcp 10.0.0.5:5000: connect: connection refused',
          ),
        ),
      ],
    },
    top: "connection-refused",
  },
  {
    name: "Docker Hub anonymous rate limit",
    scenario: {
      pod: pod({ containers: [waiting("redis:6.2")] }),
      events: [
        failedEvent(
          "redis:6.2",
          'rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/redis:6.2": failed to copy: httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/library/redis/manifests/sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31: 429 Too Many Requests - Server message: toomanyrequests: You have reached your unauthenticated pull rate limit. https://www.docker.com/increase-rate-limit',
        ),
      ],
    },
    top: "dockerhub-rate-limit",
    command: /pullwarden secret create dockerhub-pull -n shop --docker-server=docker\.io/,
  },
  {
    name: "no pull credential at all",
    scenario: {
      pod: pod({ containers: [waiting(GH)] }),
      events: [failedEvent(GH, anonymous401(GH, "ghcr.io"))],
    },
    top: "no-pull-credential",
    evidence: [/has no imagePullSecrets/, /ServiceAccount default has no imagePullSecrets either/],
  },
];

function outputOf(diagnoses: readonly Diagnosis[]): string {
  return JSON.stringify(diagnoses);
}

describe("diagnose, one scenario per cause", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const diagnoses = diagnose(evidence(c.scenario));
    const top = diagnoses[0];
    expect(top?.id, JSON.stringify(diagnoses.map((d) => [d.id, d.score]))).toBe(c.top);
    expect(top?.rank).toBe(1);
    for (const re of c.evidence ?? []) expect(top?.evidence.join("\n")).toMatch(re);
    if (c.command) expect(top?.fix.commands.join("\n")).toMatch(c.command);
    if (c.title) expect(top?.title).toMatch(c.title);
    expect(top?.fix.explanation.length).toBeGreaterThan(20);
    const text = outputOf(diagnoses);
    for (const secret of PLANTED) expect(text).not.toContain(secret);
  });

  it("covers every cause the issue lists", () => {
    const tops = new Set(cases.map((c) => c.top));
    for (const id of [
      "pull-secret-missing",
      "pull-secret-in-other-namespace",
      "pull-secret-name-typo",
      "pull-secret-wrong-type",
      "pull-secret-wrong-key",
      "pull-secret-host-mismatch",
      "serviceaccount-patched-after-pod",
      "ecr-token-expired",
      "credential-kind-rejected",
      "ghcr-read-packages-missing",
      "aks-node-missing-acrpull",
      "eks-node-role-missing-ecr-pull",
      "clock-skew",
      "image-not-found",
      "platform-not-available",
      "invalid-image-name",
      "image-never-pull",
      "tls-unknown-authority",
      "registry-speaks-http",
      "dns-failure",
      "network-timeout",
      "connection-refused",
      "dockerhub-rate-limit",
    ] as const) {
      expect(tops, id).toContain(id);
    }
  });
});

describe("diagnose, ranking and folding", () => {
  it("folds the generic message into the specific cause and keeps its line", () => {
    const diagnoses = diagnose(
      evidence({
        pod: pod({ containers: [waiting(HUB)], imagePullSecrets: ["regcred"] }),
        events: [failedEvent(HUB, anonymous401(HUB, "auth.docker.io"))],
        secrets: [
          dockerSecret("regcred", "shop", { "ghcr.io": { username: "bot", password: tokens.classicPat() } }),
        ],
      }),
    );
    expect(diagnoses.map((d) => d.id)).not.toContain("registry-requires-auth");
    expect(diagnoses[0]?.evidence.join("\n")).toContain("failed to fetch anonymous token");
  });

  it("ranks 1..n by score, with high/medium/low confidence", () => {
    const diagnoses = diagnose(
      evidence({
        pod: pod({ containers: [waiting(GH)], imagePullSecrets: ["ghcr-pull"] }),
        events: [failedEvent(GH, head403(GH, "ghcr.io"))],
        secrets: [
          dockerSecret("ghcr-pull", "shop", {
            "ghcr.io": { username: "bot", password: tokens.classicPat() },
          }),
        ],
      }),
    );
    expect(diagnoses.map((d) => d.rank)).toEqual(diagnoses.map((_, i) => i + 1));
    for (let i = 1; i < diagnoses.length; i++)
      expect(diagnoses[i - 1]!.score).toBeGreaterThanOrEqual(diagnoses[i]!.score);
    for (const d of diagnoses) expect(["high", "medium", "low"]).toContain(d.confidence);
  });

  it("is deterministic", () => {
    const ev = evidence(cases[0]!.scenario);
    expect(diagnose(ev)).toEqual(diagnose(ev));
  });

  it("a missing secret matters less when the image fails for a network reason", () => {
    const diagnoses = diagnose(
      evidence({
        pod: pod({
          containers: [waiting("registry.internal.example/app:1.0")],
          imagePullSecrets: ["regcred"],
        }),
        events: [
          failedEvent(
            "registry.internal.example/app:1.0",
            resolve(
              "registry.internal.example/app:1.0",
              'failed to do request: Head "https://registry.internal.example/v2/app/manifests/1.0": dial tcp: lookup registry.internal.example on 10.96.0.10:53: no such host',
            ),
          ),
        ],
        missing: ["regcred"],
      }),
    );
    expect(diagnoses[0]?.id).toBe("dns-failure");
    expect(diagnoses.map((d) => d.id)).toContain("pull-secret-missing");
  });

  it("a Pod whose images pull fine has nothing to diagnose", () => {
    const diagnoses = diagnose(
      evidence({
        pod: pod({ containers: [{ name: "c0", image: GH, running: true }], imagePullSecrets: ["ghcr-pull"] }),
        secrets: [
          dockerSecret("ghcr-pull", "shop", {
            "ghcr.io": { username: "bot", password: tokens.classicPat() },
          }),
        ],
      }),
    );
    expect(diagnoses).toEqual([]);
  });

  it("a Pod without status diagnoses nothing and does not throw", () => {
    const ev: Evidence = evidence({
      pod: { apiVersion: "v1", kind: "Pod", metadata: { name: "bare", namespace: "shop" } },
    });
    expect(() => diagnose(ev)).not.toThrow();
    expect(diagnose(ev)).toEqual([]);
  });

  it("a bare Pod (no controller) is fixed by recreating it", () => {
    const diagnoses = diagnose(
      evidence({
        pod: pod({
          name: "debug",
          containers: [waiting(GH)],
          owner: null,
          createdAt: "2026-06-01T09:00:00Z",
        }),
        owner: null,
        events: [failedEvent(GH, anonymous401(GH, "ghcr.io"))],
        serviceAccount: serviceAccount("default", ["ghcr-pull"]),
        secrets: [
          dockerSecret("ghcr-pull", "shop", {
            "ghcr.io": { username: "bot", password: tokens.classicPat() },
          }),
        ],
      }),
    );
    const sa = diagnoses.find((d) => d.id === "serviceaccount-patched-after-pod");
    expect(sa?.fix.commands).toEqual([
      "kubectl -n shop get pod debug -o yaml > pod.yaml",
      "kubectl -n shop replace --force -f pod.yaml",
    ]);
  });
});

describe("describeGaps", () => {
  it("says which permission is missing", () => {
    const ev = evidence({
      pod: pod({ containers: [waiting(GH)] }),
      gaps: [
        {
          subject: "secret",
          name: "ghcr-pull",
          reason: "forbidden",
          permission: "get secrets in namespace shop",
        },
        { subject: "pod", reason: "not-found", detail: 'pods "web" not found' },
      ],
    });
    expect(describeGaps(ev)).toEqual([
      "secret ghcr-pull: forbidden: needs permission to get secrets in namespace shop",
      'pod: not found (deleted while doctor ran?) (pods "web" not found)',
    ]);
  });
});

describe("diagnose, attribution", () => {
  it("ties kubelet's 'nginx:latest' in a message to the container whose image is 'nginx'", () => {
    const diagnoses = diagnose(
      evidence({
        pod: pod({ containers: [{ name: "web", image: "nginx" }] }),
        events: [
          {
            ...failedEvent(
              "nginx:latest",
              resolve("docker.io/library/nginx:latest", "docker.io/library/nginx:latest: not found"),
            ),
            involvedObject: { kind: "Pod", name: "web-7d9c8b6f5-x2x7k" },
          },
        ],
      }),
    );
    expect(diagnoses[0]).toMatchObject({ id: "image-not-found", images: ["nginx"], containers: ["web"] });
    // The official image is public: no "missing credential" for it, and every cause is tied to the container.
    expect(diagnoses.map((d) => d.id)).not.toContain("no-pull-credential");
    for (const d of diagnoses) expect(d.containers).toEqual(["web"]);
  });
});

// What scripts/sandbox.sh seeds for shop/web: containerd 1.7's 401 to the manifest request while the Pod's
// pull secret registry-pull holds a (wrong) password for the image's registry.
describe("diagnose, a 401 to a pull that sent a credential (the sandbox's shop/web)", () => {
  const IMAGE = "registry.example.com:5000/shop/web:1.0";
  const HOST = "registry.example.com:5000";
  const manifest401 = resolve(
    IMAGE,
    `unexpected status from HEAD request to https://${HOST}/v2/shop/web/manifests/1.0: 401 Unauthorized`,
  );
  const web = (secret: Record<string, unknown> | undefined): Evidence =>
    evidence({
      pod: pod({ containers: [waiting(IMAGE, manifest401)], imagePullSecrets: ["registry-pull"] }),
      events: [failedEvent(IMAGE, manifest401, "c0")],
      ...(secret ? { secrets: [secret] } : { missing: ["registry-pull"] }),
    });
  const sentPassword = dockerSecret("registry-pull", "shop", {
    [HOST]: { username: "sandbox", password: tokens.password() },
  });
  const patchesPullSecrets = (d: Diagnosis) => d.fix.commands.some((c) => c.includes("imagePullSecrets"));

  it("ranks credential-rejected first when a matching credential was sent, not registry-unauthorized", () => {
    const diagnoses = diagnose(web(sentPassword));
    expect(diagnoses[0]?.id).toBe("credential-rejected");
    expect(diagnoses[0]?.title).toBe(
      "The registry rejected the credential in registry-pull (wrong, expired or revoked)",
    );
    expect(diagnoses[0]?.evidence.join("\n")).toMatch(
      /the registry answered 401 although kubelet sends it Secret shop\/registry-pull key registry\.example\.com:5000 .*: it refused that credential/,
    );
    // The 401 and "none were sent" readings are folded into it (their lines kept).
    expect(diagnoses.map((d) => d.id)).not.toContain("registry-unauthorized");
    expect(diagnoses.map((d) => d.id)).not.toContain("registry-requires-auth");
    expect(diagnoses[0]?.evidence.join("\n")).toContain("401 Unauthorized");
    expect(diagnoses[0]?.fix.commands).toEqual([
      `printf '%s' "$REGISTRY_PASSWORD" | pullwarden secret create registry-pull -n shop --docker-server=${HOST} --docker-username=<username> --docker-password-stdin --dry-run=client -o yaml | kubectl apply -f -`,
    ]);
    for (const d of diagnoses) expect(patchesPullSecrets(d), d.id).toBe(false);
  });

  it("is no refusal when no credential matched (kubelet sent none: the key is for another host)", () => {
    const elsewhere = dockerSecret("registry-pull", "shop", {
      "other.example.com": { username: "sandbox", password: tokens.password() },
    });
    const ids = diagnose(web(elsewhere)).map((d) => d.id);
    expect(ids[0]).toBe("pull-secret-host-mismatch");
    expect(ids).not.toContain("credential-rejected");
  });

  it("a credential that cannot work anyway is its own cause (an expired ECR token), not a refusal", () => {
    const ecr = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api:2.3.1";
    const ecrHost = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
    const message = resolve(
      ecr,
      `unexpected status from HEAD request to https://${ecrHost}/v2/shop/api/manifests/2.3.1: 401 Unauthorized`,
    );
    const diagnoses = diagnose(
      evidence({
        pod: pod({ containers: [waiting(ecr, message)], imagePullSecrets: ["ecr-pull"] }),
        secrets: [
          dockerSecret("ecr-pull", "shop", { [ecrHost]: { username: "AWS", password: tokens.ecr(-3600) } }),
        ],
      }),
    );
    expect(diagnoses[0]?.id).toBe("ecr-token-expired");
    expect(diagnoses.map((d) => d.id)).not.toContain("credential-rejected");
  });

  it("never suggests adding to imagePullSecrets a Secret the Pod already lists", () => {
    // The Secret is missing: creating it is the whole fix.
    for (const d of diagnose(web(undefined))) expect(patchesPullSecrets(d), d.id).toBe(false);
    // It holds another registry's entry: it is updated with the image's, keeping the other one.
    const elsewhere = dockerSecret("registry-pull", "shop", {
      "other.example.com": { username: "sandbox", password: tokens.password() },
    });
    const mismatch = diagnose(web(elsewhere)).find((d) => d.id === "pull-secret-host-mismatch");
    expect(mismatch?.fix.commands).toEqual([
      `printf '%s' "$REGISTRY_PASSWORD" | pullwarden secret create registry-pull -n shop --docker-server=${HOST} --merge <(kubectl -n shop get secret registry-pull -o yaml) --docker-username=<username> --docker-password-stdin --dry-run=client -o yaml | kubectl apply -f -`,
    ]);
    // A Pod that does not list it still gets the patch.
    const other = diagnose(
      evidence({
        pod: pod({ containers: [waiting(IMAGE, manifest401)], imagePullSecrets: ["mirror-pull"] }),
        secrets: [
          dockerSecret("mirror-pull", "shop", {
            "other.example.com": { username: "u", password: tokens.password() },
          }),
        ],
      }),
    ).find((d) => d.id === "pull-secret-host-mismatch");
    expect(other?.fix.commands[1]).toBe(
      `kubectl -n shop patch deployment/web -p '{"spec":{"template":{"spec":{"imagePullSecrets":[{"name":"registry-pull"}]}}}}'`,
    );
  });
});
