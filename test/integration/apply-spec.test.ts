// The entry point `plan` uses for `apply -f LAYOUT`: applyPullSetup(spec, options) with the shared desired-state
// model, credential sources resolved as `secret create` reads them (environment, files, cloud tokens), selectors,
// and `--prune` over every secret pullwarden owns. Also runApplySpec, the CLI side of it.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyPullSetup } from "../../src/apply/index.js";
import { runApplySpec } from "../../src/cli/commands/apply/run.js";
import type { CliIo } from "../../src/cli/io.js";
import { resolveCredentialSource } from "../../src/cli/flags/payload.js";
import type { CredentialSource, PullSetupSpec } from "../../src/desired/index.js";
import { KubeClient } from "../../src/kube/index.js";
import { imagePullSecretNames, startCluster, writes } from "../kube/harness.js";
import type { TestCluster } from "../kube/harness.js";

let api: TestCluster;
let dir: string;

function testIo(env: Record<string, string> = {}): CliIo & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  stdout.on("data", (c: Buffer) => chunks.out.push(c));
  stderr.on("data", (c: Buffer) => chunks.err.push(c));
  const stdin = new PassThrough();
  stdin.end();
  return {
    stdin,
    stdout,
    stderr,
    env,
    cwd: dir,
    now: () => new Date("2026-06-01T00:00:00Z"),
    out: () => Buffer.concat(chunks.out).toString("utf8"),
    err: () => Buffer.concat(chunks.err).toString("utf8"),
  };
}

// A cloud token source. Minting goes through the cloud SDKs, tested against their fakes in test/cloud/
// (acr-apply, ecr-apply); here an already minted ACR refresh token stands in for the minter.
const ACR = "contoso.azurecr.io";
const MINTED_ACR: CredentialSource = {
  kind: "env",
  server: ACR,
  username: "00000000-0000-0000-0000-000000000000",
  passwordEnv: "MINTED_ACR_TOKEN",
};
const cloudToken = {
  kind: "cloud-token",
  provider: "acr",
  server: ACR,
  registryName: "contoso",
  rotateEverySeconds: 3600,
} as unknown as CredentialSource;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "pw-apply-spec-"));
  api = await startCluster({ namespaces: ["team-a", "team-b", "team-c"] });
  const ns = (await api.objects.get("namespaces", undefined, "team-c")) as { metadata: object };
  await api.objects.put({ ...ns, metadata: { ...ns.metadata, labels: { harbor: "yes" } } } as never);
});
afterEach(async () => {
  await api?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("applyPullSetup", () => {
  it("applies every secret of a spec, resolving each source once, with selectors and cloud tokens", async () => {
    const harbor = join(dir, "harbor.json");
    writeFileSync(
      harbor,
      JSON.stringify({
        auths: {
          "harbor.example.com": {
            username: "robot",
            password: "r0b0t",
            auth: Buffer.from("robot:r0b0t").toString("base64"),
          },
        },
      }),
    );
    const io = testIo({
      GHCR_TOKEN: "ghp_specspecspecspecspecspecspecspecspec12",
      MINTED_ACR_TOKEN: "acr-token-value",
    });
    const resolved: string[] = [];
    const spec: PullSetupSpec = {
      secrets: [
        {
          name: "ghcr-pull",
          source: { kind: "env", server: "ghcr.io", username: "bot", passwordEnv: "GHCR_TOKEN" },
          namespaces: { kind: "names", names: ["team-a"] },
          serviceAccounts: ["default"],
        },
        {
          name: "ghcr-pull",
          source: { kind: "env", server: "ghcr.io", username: "bot", passwordEnv: "GHCR_TOKEN" },
          namespaces: { kind: "names", names: ["team-b"] },
          serviceAccounts: [],
        },
        {
          name: "harbor-pull",
          source: { kind: "file", path: "harbor.json" },
          namespaces: { kind: "selector", labelSelector: "harbor=yes" },
          serviceAccounts: ["default"],
        },
        {
          name: "acr-pull",
          source: cloudToken,
          namespaces: { kind: "names", names: ["team-a"] },
          serviceAccounts: ["default"],
        },
      ],
    };
    const result = await applyPullSetup(spec, {
      client: KubeClient.connect({ kubeconfig: api.kubeconfigPath, env: {} }),
      resolveCredentials: async (source, name) => {
        resolved.push(`${name}:${source.kind}`);
        const payload = await resolveCredentialSource(
          source.kind === "cloud-token" ? MINTED_ACR : source,
          name,
          io,
        );
        return payload.text;
      },
    });
    expect(result.exitCode).toBe(0);
    // Two bindings on one ServiceAccount: two patches, the second planned on what the first leaves (no conflict).
    const patches = api.requestLog().filter((r) => r.verb === "patch");
    expect(patches.map((r) => `${r.namespace} ${r.status}`).sort()).toEqual([
      "team-a 200",
      "team-a 200",
      "team-c 200",
    ]);
    expect(resolved).toEqual(["ghcr-pull:env", "harbor-pull:file", "acr-pull:cloud-token"]);
    expect(await imagePullSecretNames(api, "team-a")).toEqual(["ghcr-pull", "acr-pull"]);
    expect(await imagePullSecretNames(api, "team-b")).toEqual([]);
    expect(await imagePullSecretNames(api, "team-c")).toEqual(["harbor-pull"]);
    const acr = (await api.objects.get("secrets", "team-a", "acr-pull")) as unknown as {
      data: Record<string, string>;
    };
    expect(
      JSON.parse(Buffer.from(acr.data[".dockerconfigjson"] ?? "", "base64").toString()).auths[ACR],
    ).toMatchObject({
      username: "00000000-0000-0000-0000-000000000000",
      password: "acr-token-value",
    });
    expect(result.items.map((i) => `${i.namespace} ${i.object} ${i.status}`)).toEqual([
      "team-a secret/ghcr-pull changed",
      "team-a secret/acr-pull changed",
      "team-a serviceaccount/default changed",
      "team-a serviceaccount/default changed",
      "team-b secret/ghcr-pull changed",
      "team-c secret/harbor-pull changed",
      "team-c serviceaccount/default changed",
    ]);
  });

  it("refuses a secret wanted twice in one namespace with different contents", async () => {
    const spec: PullSetupSpec = {
      secrets: ["one", "two"].map((password) => ({
        name: "pull",
        source: { kind: "env", server: "ghcr.io", username: "bot", passwordEnv: password },
        namespaces: { kind: "names", names: ["team-a"] },
        serviceAccounts: [],
      })),
    };
    const io = testIo({ one: "password-one", two: "password-two" });
    await expect(
      applyPullSetup(spec, {
        client: KubeClient.connect({ kubeconfig: api.kubeconfigPath, env: {} }),
        resolveCredentials: async (source, name) => (await resolveCredentialSource(source, name, io)).text,
      }),
    ).rejects.toThrow("secret pull is wanted in namespace team-a with two different contents");
    expect(writes(api)).toEqual([]);
  });
});

describe("runApplySpec (apply -f LAYOUT)", () => {
  it("prunes every owned secret the spec no longer wants, in the whole cluster", async () => {
    const env = { GHCR_TOKEN: "ghp_specspecspecspecspecspecspecspecspec12" };
    const spec = (names: string[]): PullSetupSpec => ({
      secrets: [
        {
          name: "ghcr-pull",
          source: { kind: "env", server: "ghcr.io", username: "bot", passwordEnv: "GHCR_TOKEN" },
          namespaces: { kind: "names", names },
          serviceAccounts: ["default"],
        },
      ],
    });
    const first = testIo(env);
    expect(await runApplySpec(spec(["team-a", "team-b"]), { kubeconfig: api.kubeconfigPath }, first)).toBe(0);
    // A secret from an earlier layout, owned by pullwarden, that no spec wants any more.
    await api.objects.seed({
      apiVersion: "v1",
      kind: "Secret",
      metadata: {
        name: "quay-pull",
        namespace: "team-c",
        labels: { "app.kubernetes.io/managed-by": "pullwarden" },
      },
      type: "kubernetes.io/dockerconfigjson",
      data: { ".dockerconfigjson": Buffer.from('{"auths":{"quay.io":{"auth":"dTpw"}}}').toString("base64") },
    });
    const second = testIo(env);
    const code = await runApplySpec(
      spec(["team-a"]),
      { kubeconfig: api.kubeconfigPath, prune: true },
      second,
    );
    expect(second.err()).toBe("");
    expect(code).toBe(0);
    expect(second.out()).toContain("team-b: secret/ghcr-pull deleted (pruned: no longer wanted)");
    expect(second.out()).toContain("team-c: secret/quay-pull deleted (pruned: no longer wanted)");
    expect(await api.objects.get("secrets", "team-a", "ghcr-pull")).toBeDefined();
    expect(await imagePullSecretNames(api, "team-b")).toEqual([]);
  });
});
