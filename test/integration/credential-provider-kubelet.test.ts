// pullwarden-credential-provider run by kubelet's own code (credprovider-harness: k8s.io/kubernetes v1.37.2
// pkg/credentialprovider/plugin): every request version, every cacheKeyType (how often kubelet execs the plugin
// shows what it cached), images matched and not, failures (kubelet goes on without credentials, our one line in
// its log, no secret), the ServiceAccount-token mode with a real API server's TokenRequest, kubelet's config
// validation against ours, and the same configs run with cloud-provider-aws's ecr-credential-provider.
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONFIG_CASES } from "../credential-provider/kubelet-config-cases.js";
import {
  PLUGIN_NAME,
  V1,
  pluginBinDir,
  runHarness,
  writeProviderConfig,
} from "../credential-provider/kubelet-harness.js";
import { makeScratchDir, removeScratchDir, requireGoTool, startControlPlane } from "../support/index.js";
import type { ControlPlane } from "../support/index.js";
import { startMoto } from "../support/moto.js";
import type { Moto } from "../support/moto.js";

const PAT = "ghp_kubeletcanarykubeletcanarykubelet0001";
const ROBOT = "robot-secret-canary-0002";
let dir: string;
let staticFile: string;
let counter = 0;

beforeAll(() => {
  dir = makeScratchDir("credential-provider-kubelet");
  staticFile = join(dir, "static.json");
  writeFileSync(
    staticFile,
    JSON.stringify({
      auths: {
        "registry.example.com:5000": { username: "octo", password: PAT },
        "harbor.example.net/team-a": { username: "robot$team-a", password: ROBOT },
      },
    }),
    { mode: 0o600 },
  );
});
afterAll(() => removeScratchDir(dir));

function scratch(name: string): string {
  const path = join(dir, `${++counter}-${name}`);
  mkdirSync(path);
  return path;
}

const ECR_IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1";
// No AWS credentials and no reachable endpoint: ecr-credential-provider fails fast instead of reaching AWS.
const ECR_UNREACHABLE = {
  AWS_EC2_METADATA_DISABLED: "true",
  AWS_ENDPOINT_URL_ECR: "http://127.0.0.1:9",
  AWS_MAX_ATTEMPTS: "1",
  AWS_REGION: "eu-west-1",
};

const STATIC_ARGS = () => ["get-credentials", "--static-config", staticFile];

describe("kubelet runs pullwarden-credential-provider", () => {
  it.each(["v1", "v1beta1", "v1alpha1"])(
    "credentialprovider.kubelet.k8s.io/%s: the request kubelet writes, the answer it uses",
    async (version) => {
      const work = scratch(version);
      const apiVersion = `credentialprovider.kubelet.k8s.io/${version}`;
      const { binDir, requests } = pluginBinDir(work);
      const config = writeProviderConfig(join(work, "config.json"), [
        { matchImages: ["registry.example.com:5000", "harbor.example.net"], apiVersion, args: STATIC_ARGS() },
      ]);
      const result = await runHarness({
        config,
        binDir,
        images: [
          "registry.example.com:5000/team/app:1.0",
          "harbor.example.net/team-a/app@sha256:" + "a".repeat(64),
          "harbor.example.net/team-b/app:1",
        ],
      });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.lookups).toEqual([
        {
          image: "registry.example.com:5000/team/app:1.0",
          found: true,
          credentials: [{ username: "octo", password: PAT }],
        },
        {
          image: `harbor.example.net/team-a/app@sha256:${"a".repeat(64)}`,
          found: true,
          credentials: [{ username: "robot$team-a", password: ROBOT }],
        },
        // Same registry, a path no entry's prefix matches: the cached Registry answer holds team-a only.
        { image: "harbor.example.net/team-b/app:1", found: false, credentials: [] },
      ]);
      expect(requests()[0]).toEqual({
        kind: "CredentialProviderRequest",
        apiVersion,
        image: "registry.example.com:5000/team/app:1.0",
      });
    },
  );

  it.each<[string, string[], number]>([
    // Two images of one registry: Registry answers once, Image once per image; Global once for both registries.
    [
      "Registry",
      ["registry.example.com:5000/a:1", "registry.example.com:5000/b:1", "harbor.example.net/team-a/x:1"],
      2,
    ],
    [
      "Image",
      ["registry.example.com:5000/a:1", "registry.example.com:5000/b:1", "harbor.example.net/team-a/x:1"],
      3,
    ],
    [
      "Global",
      ["registry.example.com:5000/a:1", "registry.example.com:5000/b:1", "harbor.example.net/team-a/x:1"],
      1,
    ],
  ])("cacheKeyType %s: kubelet caches the answer under it", async (keyType, images, execs) => {
    const work = scratch(`cache-${keyType}`);
    const { binDir, requests } = pluginBinDir(work);
    const config = writeProviderConfig(join(work, "config.json"), [
      {
        matchImages: ["registry.example.com:5000", "harbor.example.net"],
        args: [...STATIC_ARGS(), "--cache-key-type", keyType],
      },
    ]);
    const result = await runHarness({ config, binDir, images });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.lookups.map((lookup) => lookup.found)).toEqual([true, true, true]);
    expect(requests()).toHaveLength(execs);
  });

  it("an image no matchImages entry matches: kubelet does not run the plugin; a matched image not served: an empty answer, not cached", async () => {
    const work = scratch("not-ours");
    const { binDir, requests } = pluginBinDir(work);
    const config = writeProviderConfig(join(work, "config.json"), [
      { matchImages: ["*.example.org"], args: STATIC_ARGS() },
    ]);
    const result = await runHarness({
      config,
      binDir,
      images: ["quay.io/org/app:1", "reg.example.org/app:1", "reg.example.org/app:2"],
    });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.lookups.every((lookup) => !lookup.found)).toBe(true);
    // quay.io never reached the plugin; reg.example.org did twice (cacheDuration 0s: not cached), without an error.
    expect(requests().map((r) => (r as { image: string }).image)).toEqual([
      "reg.example.org/app:1",
      "reg.example.org/app:2",
    ]);
    expect(result.stderr).not.toMatch(/Failed to provide credentials|error/i);
  });

  it("a static file others can read: kubelet goes on without credentials and logs our one line, without the secret", async () => {
    const work = scratch("world-readable");
    const open = join(work, "static.json");
    writeFileSync(
      open,
      JSON.stringify({ auths: { "registry.example.com:5000": { username: "octo", password: PAT } } }),
    );
    chmodSync(open, 0o644);
    const { binDir } = pluginBinDir(work);
    const config = writeProviderConfig(join(work, "config.json"), [
      { matchImages: ["registry.example.com:5000"], args: ["--static-config", open] },
    ]);
    const result = await runHarness({ config, binDir, images: ["registry.example.com:5000/a:1"] });
    expect(result.lookups).toEqual([
      { image: "registry.example.com:5000/a:1", found: false, credentials: [] },
    ]);
    expect(result.stderr).toContain("exit status 1");
    expect(result.stderr).toMatch(
      /pullwarden-credential-provider: .*static\.json: mode 0644 gives group or others access; refusing to use the credentials in it; chmod 600 .*\[E_PROVIDER_STATIC_ACCESS\]/,
    );
    expect(result.stderr).not.toContain(PAT);
  });

  it("a v1 provider's env reaches the plugin after kubelet's own (a missing file named there fails the exec)", async () => {
    const work = scratch("env");
    const { binDir } = pluginBinDir(work);
    // The config's env overrides kubelet's: PATH without node makes the wrapper's `exec` fail.
    const config = writeProviderConfig(join(work, "config.json"), [
      {
        matchImages: ["registry.example.com:5000"],
        args: STATIC_ARGS(),
        env: [{ name: "PATH", value: "/nonexistent" }],
      },
    ]);
    const result = await runHarness({ config, binDir, images: ["registry.example.com:5000/a:1"] });
    expect(result.lookups[0]?.found).toBe(false);
    expect(result.stderr).toMatch(/env: .?node.?: No such file|not found/);
  });
});

describe("kubelet's config validation agrees with credential-provider validate-config", () => {
  it.each(CONFIG_CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const work = scratch("config-case");
    const config = join(work, "config.yaml");
    writeFileSync(config, c.yaml);
    // kubelet refuses to start when a provider's binary is missing: give every plausible name one.
    const binDir = join(work, "bin");
    mkdirSync(binDir);
    for (const name of ["pullwarden-credential-provider", "foobar", "p", "test"]) {
      writeFileSync(join(binDir, name), "#!/bin/sh\nexit 1\n", { mode: 0o755 });
    }
    const result = await runHarness({ config, binDir, images: ["registry.io/foobar/x:1"] });
    if (c.accepted) expect(result.exitCode, result.stderr).toBe(0);
    else {
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toMatch(/credprovider-harness: /);
    }
  });
});

describe("ServiceAccount-token mode (KEP-4412) with a real API server's TokenRequest", () => {
  let cp: ControlPlane;
  let moto: Moto;
  let podUid: string;
  let plainPodUid: string;
  const pod = () => ({
    kubeconfig: cp.kubeconfigPath,
    serviceAccount: "puller",
    podName: "puller-pod",
    podUid,
  });
  beforeAll(async () => {
    cp = await startControlPlane({
      controllers: ["serviceaccount-controller", "serviceaccount-token-controller"],
    });
    const annotated = {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: {
        name: "puller",
        namespace: "default",
        annotations: {
          "pullwarden.io/identity": "team-a",
          "eks.amazonaws.com/ecr-role-arn": "arn:aws:iam::123456789012:role/pull",
        },
      },
    };
    const created = await cp.request("POST", "/api/v1/namespaces/default/serviceaccounts", annotated);
    expect(created.status, created.body).toBe(201);
    // The token kubelet requests is bound to the Pod (boundObjectRef: name and UID), so the Pod must exist.
    const pod = await cp.request("POST", "/api/v1/namespaces/default/pods", {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "puller-pod", namespace: "default" },
      spec: {
        serviceAccountName: "puller",
        containers: [{ name: "app", image: "registry.example.com:5000/a:1" }],
      },
    });
    expect(pod.status, pod.body).toBe(201);
    podUid = String((pod.json?.["metadata"] as { uid: string }).uid);
    const plain = await cp.request("POST", "/api/v1/namespaces/default/pods", {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "plain-pod", namespace: "default" },
      spec: { serviceAccountName: "default", containers: [{ name: "app", image: ECR_IMAGE }] },
    });
    expect(plain.status, plain.body).toBe(201);
    plainPodUid = String((plain.json?.["metadata"] as { uid: string }).uid);
    moto = await startMoto();
  }, 180_000);
  afterAll(async () => Promise.all([cp?.stop(), moto?.stop()]));

  function saConfig(work: string, cacheType: string, required: string[] = []): string {
    return writeProviderConfig(join(work, "config.json"), [
      {
        matchImages: ["registry.example.com:5000"],
        args: STATIC_ARGS(),
        tokenAttributes: {
          serviceAccountTokenAudience: "pullwarden.io/registry",
          cacheType,
          requireServiceAccount: true,
          ...(required.length ? { requiredServiceAccountAnnotationKeys: required } : {}),
          optionalServiceAccountAnnotationKeys: ["eks.amazonaws.com/ecr-role-arn"],
        },
      },
    ]);
  }

  it.each<[string, number]>([
    // ServiceAccount: one exec per ServiceAccount; Token: kubelet asks again for every new token (each lookup here
    // requests a fresh token).
    ["ServiceAccount", 1],
    ["Token", 2],
  ])(
    "cacheType %s: kubelet sends the Pod's bound token and the listed annotations",
    async (cacheType, execs) => {
      const work = scratch(`sa-${cacheType}`);
      const { binDir, requests } = pluginBinDir(work);
      const result = await runHarness({
        config: saConfig(work, cacheType, ["pullwarden.io/identity"]),
        binDir,
        images: ["registry.example.com:5000/a:1", "registry.example.com:5000/a:1"],
        ...pod(),
      });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(
        result.lookups.map((l) => l.credentials),
        result.stderr,
      ).toEqual([
        [{ username: "octo", password: PAT, serviceAccount: "default/puller" }],
        [{ username: "octo", password: PAT, serviceAccount: "default/puller" }],
      ]);
      const seen = requests() as {
        apiVersion: string;
        serviceAccountToken: string;
        serviceAccountAnnotations: Record<string, string>;
      }[];
      expect(seen).toHaveLength(execs);
      expect(seen[0]?.apiVersion).toBe(V1);
      expect(seen[0]?.serviceAccountToken.split(".")).toHaveLength(3);
      const claims = JSON.parse(
        Buffer.from(seen[0]?.serviceAccountToken.split(".")[1] ?? "", "base64url").toString(),
      ) as { aud: string[]; sub: string };
      expect(claims).toMatchObject({
        aud: ["pullwarden.io/registry"],
        sub: "system:serviceaccount:default:puller",
      });
      // Only the annotations the config lists reach the plugin.
      expect(seen[0]?.serviceAccountAnnotations).toEqual({
        "pullwarden.io/identity": "team-a",
        "eks.amazonaws.com/ecr-role-arn": "arn:aws:iam::123456789012:role/pull",
      });
    },
  );

  it("a required annotation the ServiceAccount lacks: kubelet does not run the plugin at all", async () => {
    const work = scratch("sa-required");
    const { binDir, requests } = pluginBinDir(work);
    const result = await runHarness({
      config: saConfig(work, "ServiceAccount", ["pullwarden.io/other"]),
      binDir,
      images: ["registry.example.com:5000/a:1"],
      ...pod(),
    });
    expect(result.lookups[0]?.found).toBe(false);
    expect(requests()).toHaveLength(0);
  });

  it("ECR with the Pod's role: AssumeRoleWithWebIdentity with kubelet's token (moto), no node identity needed; a ServiceAccount without the role gets none", async () => {
    const work = scratch("sa-ecr");
    const { binDir, requests, responses } = pluginBinDir(work);
    const roleArn = "arn:aws:iam::123456789012:role/pull";
    // The node has no AWS identity at all: only the Pod's token can mint.
    const env = [
      { name: "AWS_ENDPOINT_URL_ECR", value: moto.endpoint },
      { name: "AWS_ENDPOINT_URL_STS", value: moto.endpoint },
      { name: "AWS_REGION", value: "eu-west-1" },
      { name: "AWS_EC2_METADATA_DISABLED", value: "true" },
      { name: "AWS_MAX_ATTEMPTS", value: "1" },
    ];
    const config = writeProviderConfig(join(work, "config.json"), [
      {
        matchImages: ["*.dkr.ecr.*.amazonaws.com"],
        env,
        tokenAttributes: {
          serviceAccountTokenAudience: "sts.amazonaws.com",
          cacheType: "ServiceAccount",
          requireServiceAccount: true,
          optionalServiceAccountAnnotationKeys: ["eks.amazonaws.com/ecr-role-arn"],
        },
      },
    ]);
    const withRole = await runHarness({ config, binDir, images: [ECR_IMAGE], ...pod() });
    expect(withRole.exitCode, withRole.stderr).toBe(0);
    expect(withRole.lookups[0]?.credentials).toEqual([
      { username: "AWS", password: "123456789012-auth-token", serviceAccount: "default/puller" },
    ]);
    const request = requests()[0] as { serviceAccountAnnotations: Record<string, string> };
    expect(request.serviceAccountAnnotations["eks.amazonaws.com/ecr-role-arn"]).toBe(roleArn);
    expect(JSON.parse(responses()[0] ?? "{}")).toMatchObject({ cacheKeyType: "Registry" });

    const withoutRole = await runHarness({
      config,
      binDir,
      images: [ECR_IMAGE],
      kubeconfig: cp.kubeconfigPath,
      serviceAccount: "default",
      podName: "plain-pod",
      podUid: plainPodUid,
    });
    expect(withoutRole.lookups[0]?.found).toBe(false);
    expect(withoutRole.stderr).toMatch(/pullwarden-credential-provider: .*\[E_AWS_[A-Z_]+\]/);
    const token = (requests()[1] as { serviceAccountToken: string }).serviceAccountToken;
    expect(withRole.stderr + withoutRole.stderr).not.toContain(token);
  });
  it("next to ecr-credential-provider with the same tokenAttributes: each binary answers its images (ECR fails here without AWS)", async () => {
    const work = scratch("ecr-sa-shape");
    const ecrBin = join(work, "bin");
    mkdirSync(ecrBin);
    symlinkSync(requireGoTool("ecr-credential-provider"), join(ecrBin, "ecr-credential-provider"));
    const { binDir } = pluginBinDir(work);
    symlinkSync(join(binDir, PLUGIN_NAME), join(ecrBin, PLUGIN_NAME));
    const tokenAttributes = {
      serviceAccountTokenAudience: "sts.amazonaws.com",
      cacheType: "ServiceAccount",
      requireServiceAccount: false,
      optionalServiceAccountAnnotationKeys: ["eks.amazonaws.com/ecr-role-arn"],
    };
    const result = await runHarness({
      config: writeProviderConfig(join(work, "both.json"), [
        { name: "ecr-credential-provider", matchImages: ["*.dkr.ecr.*.amazonaws.com"], tokenAttributes },
        { matchImages: ["registry.example.com:5000"], args: STATIC_ARGS(), tokenAttributes },
      ]),
      binDir: ecrBin,
      images: [ECR_IMAGE, "registry.example.com:5000/a:1"],
      env: ECR_UNREACHABLE,
      ...pod(),
    });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(
      result.lookups.map((l) => l.found),
      result.stderr,
    ).toEqual([false, true]);
  });
});

describe("the same configs with cloud-provider-aws's ecr-credential-provider", () => {
  it("a v1beta1 provider: ecr-credential-provider refuses the request version; pullwarden answers it", async () => {
    const work = scratch("ecr-v1beta1");
    const ecrBin = join(work, "bin-ecr");
    mkdirSync(ecrBin);
    symlinkSync(requireGoTool("ecr-credential-provider"), join(ecrBin, "ecr-credential-provider"));
    const beta = "credentialprovider.kubelet.k8s.io/v1beta1";
    const upstream = await runHarness({
      config: writeProviderConfig(join(work, "ecr.json"), [
        { name: "ecr-credential-provider", matchImages: ["*.dkr.ecr.*.amazonaws.com"], apiVersion: beta },
      ]),
      binDir: ecrBin,
      images: [ECR_IMAGE],
      env: ECR_UNREACHABLE,
    });
    expect(upstream.lookups[0]?.found).toBe(false);
    expect(upstream.stderr).toMatch(/not supported|v1beta1/);

    const { binDir, requests } = pluginBinDir(work);
    const ours = await runHarness({
      config: writeProviderConfig(join(work, "ours.json"), [
        {
          matchImages: ["*.dkr.ecr.*.amazonaws.com", "registry.example.com:5000"],
          apiVersion: beta,
          args: STATIC_ARGS(),
        },
      ]),
      binDir,
      images: ["registry.example.com:5000/a:1"],
      env: ECR_UNREACHABLE,
    });
    expect(ours.lookups[0]?.credentials).toEqual([{ username: "octo", password: PAT }]);
    expect((requests()[0] as { apiVersion: string }).apiVersion).toBe(beta);
  });
});
