// kube/ kubeconfig loading with kubectl's rules: --kubeconfig wins; KUBECONFIG files merge with the first
// definition (and the first current-context) winning, missing files skipped; ~/.kube/config; in-cluster; and the
// one-line errors for unknown contexts and unreadable files.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KubeConfigError, loadKubeConfig } from "../../src/kube/index.js";

let dir: string;

function kubeconfig(
  name: string,
  spec: {
    current?: string;
    clusters?: [string, string][];
    users?: string[];
    contexts?: [string, string, string, string?][];
  },
): string {
  const path = join(dir, name);
  const lines = ["apiVersion: v1", "kind: Config"];
  if (spec.current !== undefined) lines.push(`current-context: ${spec.current}`);
  lines.push("clusters:");
  for (const [cluster, server] of spec.clusters ?? [])
    lines.push(`- name: ${cluster}`, "  cluster:", `    server: ${server}`);
  lines.push("users:");
  for (const user of spec.users ?? [])
    lines.push(`- name: ${user}`, "  user:", `    token: token-of-${user}`);
  lines.push("contexts:");
  for (const [context, cluster, user, namespace] of spec.contexts ?? []) {
    lines.push(`- name: ${context}`, "  context:", `    cluster: ${cluster}`, `    user: ${user}`);
    if (namespace) lines.push(`    namespace: ${namespace}`);
  }
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

let first: string;
let second: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "pw-kubeconfig-"));
  first = kubeconfig("first", {
    current: "dev",
    clusters: [
      ["dev-cluster", "https://dev.example:6443"],
      ["shared", "https://first.example"],
    ],
    users: ["dev-user"],
    contexts: [["dev", "dev-cluster", "dev-user", "apps"]],
  });
  second = kubeconfig("second", {
    current: "prod",
    clusters: [
      ["prod-cluster", "https://prod.example:6443"],
      ["shared", "https://second.example"],
    ],
    users: ["prod-user"],
    contexts: [
      ["prod", "prod-cluster", "prod-user"],
      ["dev", "prod-cluster", "prod-user"],
      ["shared-ctx", "shared", "prod-user"],
    ],
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("which kubeconfig", () => {
  it("merges KUBECONFIG files: the first file's current context and definitions win", () => {
    const { target } = loadKubeConfig({ env: { KUBECONFIG: `${first}:${second}` } });
    expect(target).toEqual({
      context: "dev",
      cluster: "dev-cluster",
      server: "https://dev.example:6443",
      user: "dev-user",
      namespace: "apps",
      sources: [first, second],
      inCluster: false,
    });
    const shared = loadKubeConfig({ env: { KUBECONFIG: `${first}:${second}` }, context: "shared-ctx" });
    expect(shared.target.server).toBe("https://first.example");
    const reversed = loadKubeConfig({ env: { KUBECONFIG: `${second}:${first}` } });
    expect(reversed.target.context).toBe("prod");
    expect(reversed.target.namespace).toBe("default");
  });

  it("skips KUBECONFIG entries that do not exist, as kubectl does", () => {
    const { target } = loadKubeConfig({ env: { KUBECONFIG: `${join(dir, "missing")}::${second}` } });
    expect(target.context).toBe("prod");
    expect(target.sources).toEqual([second]);
  });

  it("--kubeconfig wins over KUBECONFIG; --context picks another context of the merged files", () => {
    expect(loadKubeConfig({ kubeconfig: second, env: { KUBECONFIG: first } }).target.context).toBe("prod");
    const prod = loadKubeConfig({ env: { KUBECONFIG: `${first}:${second}` }, context: "prod" });
    expect(prod.target).toMatchObject({
      context: "prod",
      server: "https://prod.example:6443",
      user: "prod-user",
    });
  });

  it("falls back to ~/.kube/config, resolving relative paths against the working directory", () => {
    const home = join(dir, "home");
    mkdirSync(join(home, ".kube"), { recursive: true });
    writeFileSync(
      join(home, ".kube", "config"),
      `current-context: prod\n${"clusters:\n- name: c\n  cluster:\n    server: https://home.example\n"}users: []\ncontexts:\n- name: prod\n  context:\n    cluster: c\n    user: nobody\n`,
    );
    expect(loadKubeConfig({ env: { HOME: home } }).target.server).toBe("https://home.example");
    expect(loadKubeConfig({ env: {}, kubeconfig: "second", cwd: dir }).target.sources).toEqual([second]);
  });

  it("inside a Pod, uses the in-cluster service account", () => {
    const sa = join(dir, "sa");
    mkdirSync(sa, { recursive: true });
    writeFileSync(join(sa, "token"), "in-cluster-token");
    writeFileSync(join(sa, "namespace"), "pullwarden-system");
    writeFileSync(join(sa, "ca.crt"), "");
    const { target } = loadKubeConfig({
      env: { KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_SERVICE_PORT: "443" },
      serviceAccountDir: sa,
    });
    expect(target).toEqual({
      context: "in-cluster",
      cluster: "in-cluster",
      server: "https://10.96.0.1:443",
      user: "in-cluster",
      namespace: "pullwarden-system",
      sources: ["in-cluster"],
      inCluster: true,
    });
  });
});

describe("errors", () => {
  const error = (run: () => unknown): KubeConfigError => {
    try {
      run();
    } catch (e) {
      if (e instanceof KubeConfigError) return e;
      throw e;
    }
    throw new Error("expected a KubeConfigError");
  };

  it("an unknown context names the file and the contexts there are", () => {
    const e = error(() => loadKubeConfig({ env: { KUBECONFIG: `${first}:${second}` }, context: "staging" }));
    expect(e.message).toBe(
      `context "staging" not found in kubeconfig ${first}, ${second}; available: dev, prod, shared-ctx`,
    );
    expect(e.hint).toBe("list contexts with: kubectl config get-contexts");
    expect(e.exitCode).toBe(4);
  });

  it("no current context, a context without its cluster, nothing to load", () => {
    const noCurrent = kubeconfig("no-current", {
      clusters: [["c", "https://c.example"]],
      users: ["u"],
      contexts: [
        ["only", "c", "u"],
        ["dangling", "gone", "u"],
      ],
    });
    expect(error(() => loadKubeConfig({ kubeconfig: noCurrent })).message).toBe(
      `kubeconfig ${noCurrent} has no current context; available: only, dangling`,
    );
    expect(error(() => loadKubeConfig({ kubeconfig: noCurrent, context: "dangling" })).message).toBe(
      `context "dangling" uses cluster "gone", which kubeconfig ${noCurrent} does not define`,
    );
    expect(error(() => loadKubeConfig({ env: { KUBECONFIG: join(dir, "a") } })).message).toBe(
      `no kubeconfig found: KUBECONFIG names only missing files (${join(dir, "a")}), and this is not a Pod in a cluster`,
    );
    expect(error(() => loadKubeConfig({ env: {} })).message).toBe(
      "no kubeconfig found: KUBECONFIG and HOME are not set, and this is not a Pod in a cluster",
    );
  });

  it("unreadable, malformed or invalid files", () => {
    expect(error(() => loadKubeConfig({ kubeconfig: join(dir, "nope") })).message).toBe(
      `cannot read kubeconfig ${join(dir, "nope")}: no such file`,
    );
    expect(error(() => loadKubeConfig({ kubeconfig: dir })).message).toBe(
      `cannot read kubeconfig ${dir}: is a directory, expected a file`,
    );
    const yaml = join(dir, "bad-yaml");
    writeFileSync(yaml, "clusters: [\n");
    expect(error(() => loadKubeConfig({ kubeconfig: yaml })).message).toMatch(
      new RegExp(`^kubeconfig ${yaml}: not valid YAML: `),
    );
    const scalar = join(dir, "scalar");
    writeFileSync(scalar, "just text\n");
    expect(error(() => loadKubeConfig({ kubeconfig: scalar })).message).toBe(
      `kubeconfig ${scalar}: not a kubeconfig (expected a YAML mapping with clusters, users and contexts)`,
    );
    const invalid = join(dir, "invalid");
    writeFileSync(invalid, "clusters:\n- name: x\n  cluster: {}\n");
    expect(error(() => loadKubeConfig({ kubeconfig: invalid })).message).toBe(
      `kubeconfig ${invalid}: invalid entry: clusters[0].cluster.server is missing`,
    );
    const empty = join(dir, "empty");
    writeFileSync(empty, "");
    expect(error(() => loadKubeConfig({ kubeconfig: empty })).message).toBe(
      `kubeconfig ${empty} has no current context; it defines no contexts`,
    );
  });
});
