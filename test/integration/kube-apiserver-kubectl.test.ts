// Fidelity of the test API server, proven with the real kubectl binary (v1.32 from PATH, or Debian's) using the
// server's generated kubeconfig and an empty HOME: discovery, get/create/apply/patch/label/annotate/delete,
// selectors, watch, the real error wording (NotFound, AlreadyExists, Invalid, Forbidden), RBAC and admission.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  makeScratchDir,
  removeScratchDir,
  requireTool,
  runCommand,
  startServer,
  waitUntil,
} from "../support/index.js";
import type { CommandResult } from "../support/index.js";
import { startApiServer } from "../kube-apiserver/index.js";
import type { ApiServer, KubeObject } from "../kube-apiserver/index.js";

let server: ApiServer;
let scratch: string;
let home: string;
let fileCounter = 0;

beforeAll(async () => {
  server = await startApiServer({
    namespaces: ["x", "watched", "adm", "sel"],
    users: {
      viewer: { rules: [{ verbs: ["get", "list", "watch"], resources: ["secrets"], namespaces: ["x"] }] },
    },
  });
  scratch = makeScratchDir("kubectl-fidelity");
  home = join(scratch, "home");
  mkdirSync(home);
});

afterAll(async () => {
  await server?.stop();
  if (scratch) removeScratchDir(scratch);
});

function env(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, KUBECONFIG: server.kubeconfigPath };
}

function kubectl(...args: string[]): Promise<CommandResult> {
  return runCommand(requireTool("kubectl"), args, { env: env(), timeoutMs: 20_000 });
}

function manifest(text: string): string {
  const path = join(scratch, `manifest-${++fileCounter}.yaml`);
  writeFileSync(path, text);
  return path;
}

function ok(r: CommandResult): string {
  expect(r.stderr).toBe("");
  expect(r.exitCode).toBe(0);
  return r.stdout;
}

function secretNames(ns: string): string[] {
  return server.objects.list("secrets", ns).map((s) => s.metadata.name ?? "");
}

describe("discovery and reads", () => {
  it("kubectl discovers the served resources and the server version", async () => {
    const resources = ok(await kubectl("api-resources", "-o", "name")).split("\n");
    for (const r of [
      "namespaces",
      "secrets",
      "serviceaccounts",
      "pods",
      "events",
      "configmaps",
      "nodes",
      "leases.coordination.k8s.io",
      "roles.rbac.authorization.k8s.io",
      "clusterrolebindings.rbac.authorization.k8s.io",
      "deployments.apps",
      "pullsecretbindings.pullwarden.io",
    ]) {
      expect(resources).toContain(r);
    }
    const version = JSON.parse(ok(await kubectl("version", "-o", "json"))) as {
      serverVersion: { gitVersion: string };
    };
    expect(version.serverVersion.gitVersion).toBe("v1.32.0");
    // kubectl 1.32 asked for (and got) aggregated discovery: no per-group-version legacy documents needed.
    expect(server.requestLog().some((r) => r.path === "/apis/rbac.authorization.k8s.io/v1")).toBe(false);
  });

  it("get ns prints the server-side Table", async () => {
    const out = ok(await kubectl("get", "ns"));
    const lines = out.trim().split("\n");
    expect(lines[0]).toMatch(/^NAME\s+STATUS\s+AGE$/);
    for (const ns of ["default", "kube-node-lease", "kube-public", "kube-system", "x"]) {
      expect(out).toMatch(new RegExp(`^${ns}\\s+Active\\s+\\d+s$`, "m"));
    }
  });

  it("get secrets -o json lists what the namespace holds", async () => {
    const empty = JSON.parse(ok(await kubectl("get", "secrets", "-n", "sel", "-o", "json"))) as {
      items: unknown[];
    };
    expect(empty.items).toEqual([]);
    server.objects.seed({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "seeded", namespace: "sel", labels: { a: "1" } },
      stringData: { token: "t0ps3cret" },
    });
    const list = JSON.parse(ok(await kubectl("get", "secrets", "-n", "sel", "-o", "json"))) as {
      items: KubeObject[];
    };
    expect(list.items).toHaveLength(1);
    const item = list.items[0] as KubeObject;
    expect(item.kind).toBe("Secret");
    expect(item.type).toBe("Opaque");
    expect(item.data).toEqual({ token: Buffer.from("t0ps3cret").toString("base64") });
    expect(item.metadata.resourceVersion).toMatch(/^\d+$/);
  });

  it("get events and nodes print the real columns", async () => {
    server.objects.seed(
      {
        apiVersion: "v1",
        kind: "Event",
        metadata: { name: "p-x.1", namespace: "sel" },
        involvedObject: { kind: "Pod", name: "p-x", namespace: "sel" },
        reason: "Failed",
        type: "Warning",
        message: 'Failed to pull image "registry.example/app:1": 401 Unauthorized',
        lastTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
      },
      {
        apiVersion: "v1",
        kind: "Node",
        metadata: { name: "node-1", labels: { "node-role.kubernetes.io/worker": "" } },
        status: { conditions: [{ type: "Ready", status: "True" }], nodeInfo: { kubeletVersion: "v1.32.0" } },
      },
    );
    const events = ok(await kubectl("get", "events", "-n", "sel"));
    expect(events).toMatch(
      /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE\n\d+s\s+Warning\s+Failed\s+pod\/p-x\s+Failed to pull image/,
    );
    const nodes = ok(await kubectl("get", "nodes"));
    expect(nodes).toMatch(
      /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\nnode-1\s+Ready\s+worker\s+\d+s\s+v1\.32\.0\n$/,
    );
  });

  it("get secret missing: exit 1 with the real NotFound message", async () => {
    const r = await kubectl("get", "secret", "missing", "-n", "x");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe('Error from server (NotFound): secrets "missing" not found\n');
  });

  it("get pods with label and field selectors", async () => {
    const pod = (name: string, labels: Record<string, string>, phase: string): KubeObject => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, namespace: "sel", labels },
      spec: { containers: [{ name: "c", image: "registry.example/app:1" }] },
      status: { phase },
    });
    server.objects.seed(
      pod("p-x", { app: "x", tier: "web" }, "Running"),
      pod("p-y", { app: "y" }, "Pending"),
      pod("p-none", {}, "Running"),
    );
    const names = async (...args: string[]): Promise<string[]> =>
      ok(await kubectl("get", "pods", "-n", "sel", "-o", "name", ...args))
        .trim()
        .split("\n")
        .filter(Boolean);
    expect(await names("-l", "app=x")).toEqual(["pod/p-x"]);
    expect(await names("-l", "app==x,tier")).toEqual(["pod/p-x"]);
    expect(await names("-l", "app!=x")).toEqual(["pod/p-none", "pod/p-y"]);
    expect(await names("-l", "app in (x,y)")).toEqual(["pod/p-x", "pod/p-y"]);
    expect(await names("-l", "app notin (x)")).toEqual(["pod/p-none", "pod/p-y"]);
    expect(await names("-l", "!app")).toEqual(["pod/p-none"]);
    expect(await names("--field-selector", "status.phase=Running")).toEqual(["pod/p-none", "pod/p-x"]);
    const table = ok(await kubectl("get", "pods", "-n", "sel", "-l", "app=y"));
    expect(table).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\np-y\s+0\/1\s+Pending\s+0\s+\S+\n$/);
    const bad = await kubectl("get", "pods", "-n", "sel", "--field-selector", "spec.foo=x");
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain("field label not supported: spec.foo");
  });
});

describe("writes", () => {
  it("create secret docker-registry (a protobuf body) stores what kubectl generated", async () => {
    const args = [
      "-n",
      "x",
      "--docker-server=registry.example:5000",
      "--docker-username=u",
      "--docker-password=p@ss",
    ];
    const local = JSON.parse(
      ok(
        await kubectl(
          "create",
          "secret",
          "docker-registry",
          "regcred",
          ...args,
          "--dry-run=client",
          "-o",
          "json",
        ),
      ),
    ) as KubeObject;
    expect(ok(await kubectl("create", "secret", "docker-registry", "regcred", ...args))).toBe(
      "secret/regcred created\n",
    );
    const stored = server.objects.get("secrets", "x", "regcred") as KubeObject;
    expect(stored.type).toBe("kubernetes.io/dockerconfigjson");
    expect(stored.data).toEqual(local.data);
    const logged = server
      .requestLog()
      .filter((r) => r.method === "POST" && r.path === "/api/v1/namespaces/x/secrets");
    expect(logged.at(-1)?.contentType).toBe("application/vnd.kubernetes.protobuf");

    const again = await kubectl("create", "secret", "docker-registry", "regcred", ...args);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toBe('error: failed to create secret secrets "regcred" already exists\n');
  });

  it("kubectl's protobuf creates decode to what --dry-run=client prints", async () => {
    const cases: [string[], (o: KubeObject) => unknown][] = [
      [["configmap", "cfg", "-n", "x", "--from-literal=a=b", "--from-literal=c=d"], (o) => o.data],
      [["serviceaccount", "robot", "-n", "x"], (o) => o.metadata.name],
      [
        ["deployment", "web", "-n", "x", "--image=registry.example/web:1", "--replicas=2", "--port=8080"],
        (o) => {
          // The server adds the apps/v1 defaults (strategy, revisionHistoryLimit, pod template defaults).
          const spec = o.spec as {
            replicas: number;
            selector: unknown;
            template: { metadata: unknown; spec: { containers: Record<string, unknown>[] } };
          };
          const c = spec.template.spec.containers[0] ?? {};
          return [spec.replicas, spec.selector, spec.template.metadata, c.name, c.image, c.ports];
        },
      ],
      [["clusterrole", "pod-reader", "--verb=get,list", "--resource=pods,secrets"], (o) => o.rules],
      [
        ["rolebinding", "rb", "-n", "x", "--clusterrole=pod-reader", "--user=u1", "--group=g1"],
        (o) => [o.roleRef, o.subjects],
      ],
    ];
    for (const [args, pick] of cases) {
      const local = JSON.parse(
        ok(await kubectl("create", ...args, "--dry-run=client", "-o", "json")),
      ) as KubeObject;
      const created = JSON.parse(ok(await kubectl("create", ...args, "-o", "json"))) as KubeObject;
      expect(pick(created), args.join(" ")).toEqual(pick(local));
    }
    const creates = server.requestLog().filter((r) => r.verb === "create" && r.user === "admin");
    expect(creates.at(-1)?.contentType).toBe("application/vnd.kubernetes.protobuf");
  });

  it("create -f / apply -f a ServiceAccount (validation through the served OpenAPI v3, no --validate=false)", async () => {
    const file = manifest(
      "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: builder\n  namespace: x\n",
    );
    expect(ok(await kubectl("create", "-f", file))).toBe("serviceaccount/builder created\n");
    const dup = await kubectl("create", "-f", file);
    expect(dup.exitCode).toBe(1);
    expect(dup.stderr).toBe(
      `Error from server (AlreadyExists): error when creating "${file}": serviceaccounts "builder" already exists\n`,
    );
    const create = server
      .requestLog()
      .find((r) => r.method === "POST" && r.path.endsWith("/serviceaccounts"));
    expect(create?.query.fieldValidation).toBe("Strict");

    const applied = manifest(
      "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: deployer\n  namespace: x\n",
    );
    expect(ok(await kubectl("apply", "-f", applied))).toBe("serviceaccount/deployer created\n");
    expect(ok(await kubectl("apply", "-f", applied))).toBe("serviceaccount/deployer unchanged\n");
    writeFileSync(
      applied,
      "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: deployer\n  namespace: x\n  labels:\n    team: blue\n",
    );
    expect(ok(await kubectl("apply", "-f", applied))).toBe("serviceaccount/deployer configured\n");
    const sa = server.objects.get("serviceaccounts", "x", "deployer") as KubeObject;
    expect(sa.metadata.labels).toEqual({ team: "blue" });
    expect(sa.metadata.annotations?.["kubectl.kubernetes.io/last-applied-configuration"]).toContain(
      '"team":"blue"',
    );
    const patch = server.requestLog().findLast((r) => r.method === "PATCH" && r.name === "deployer");
    expect(patch?.contentType).toBe("application/strategic-merge-patch+json");
  });

  it("patch sa: strategic merge replaces imagePullSecrets (an atomic list upstream), merges secrets by name", async () => {
    // ServiceAccount.imagePullSecrets is `+listType=atomic` in k8s.io/api (no patchMergeKey), so a strategic
    // merge patch replaces the list — the same result `kubectl patch --local` computes from the Go types
    // (kube-apiserver-patch.test.ts checks that oracle). Appending needs a JSON patch or a read-modify-write.
    ok(await kubectl("patch", "sa", "default", "-n", "x", "-p", '{"imagePullSecrets":[{"name":"a"}]}'));
    ok(await kubectl("patch", "sa", "default", "-n", "x", "-p", '{"imagePullSecrets":[{"name":"b"}]}'));
    expect(server.objects.get("serviceaccounts", "x", "default")?.imagePullSecrets).toEqual([{ name: "b" }]);

    ok(await kubectl("patch", "sa", "default", "-n", "x", "-p", '{"secrets":[{"name":"s1"}]}'));
    ok(await kubectl("patch", "sa", "default", "-n", "x", "-p", '{"secrets":[{"name":"s2"}]}'));
    expect(server.objects.get("serviceaccounts", "x", "default")?.secrets).toEqual([
      { name: "s2" },
      { name: "s1" },
    ]);
  });

  it("patch --type=merge and --type=json", async () => {
    expect(
      ok(
        await kubectl(
          "patch",
          "sa",
          "default",
          "-n",
          "x",
          "--type=merge",
          "-p",
          '{"metadata":{"labels":{"m":"1"}}}',
        ),
      ),
    ).toBe("serviceaccount/default patched\n");
    ok(
      await kubectl(
        "patch",
        "sa",
        "default",
        "-n",
        "x",
        "--type=json",
        "-p",
        '[{"op":"add","path":"/imagePullSecrets/-","value":{"name":"c"}}]',
      ),
    );
    const sa = server.objects.get("serviceaccounts", "x", "default") as KubeObject;
    expect(sa.imagePullSecrets).toEqual([{ name: "b" }, { name: "c" }]);
    expect(sa.metadata.labels).toEqual({ m: "1" });

    const failed = await kubectl(
      "patch",
      "sa",
      "default",
      "-n",
      "x",
      "--type=json",
      "-p",
      '[{"op":"test","path":"/metadata/name","value":"other"}]',
    );
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toBe(
      "The request is invalid: the server rejected our request due to an error in our request\n",
    );
    const noop = await kubectl(
      "patch",
      "sa",
      "default",
      "-n",
      "x",
      "--type=merge",
      "-p",
      '{"metadata":{"labels":{"m":"1"}}}',
    );
    expect(ok(noop)).toBe("serviceaccount/default patched (no change)\n");
  });

  it("label and annotate", async () => {
    expect(ok(await kubectl("label", "secret", "regcred", "-n", "x", "team=blue"))).toBe(
      "secret/regcred labeled\n",
    );
    expect(ok(await kubectl("annotate", "secret", "regcred", "-n", "x", "owner=me"))).toBe(
      "secret/regcred annotated\n",
    );
    const clash = await kubectl("label", "secret", "regcred", "-n", "x", "team=red");
    expect(clash.exitCode).toBe(1);
    expect(clash.stderr).toContain("'team' already has a value (blue), and --overwrite is false");
    ok(await kubectl("label", "secret", "regcred", "-n", "x", "team=red", "--overwrite"));
    expect(server.objects.get("secrets", "x", "regcred")?.metadata.labels).toEqual({ team: "red" });
    ok(await kubectl("label", "secret", "regcred", "-n", "x", "team-"));
    const s = server.objects.get("secrets", "x", "regcred") as KubeObject;
    expect(s.metadata.labels ?? {}).toEqual({});
    expect(s.metadata.annotations).toEqual({ owner: "me" });
  });

  it("delete", async () => {
    ok(await kubectl("create", "secret", "generic", "doomed", "-n", "x", "--from-literal=k=v"));
    expect(ok(await kubectl("delete", "secret", "doomed", "-n", "x"))).toBe('secret "doomed" deleted\n');
    expect(secretNames("x")).not.toContain("doomed");
    const again = await kubectl("delete", "secret", "doomed", "-n", "x");
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toBe('Error from server (NotFound): secrets "doomed" not found\n');
  });

  it("invalid Secrets get the real 422 wording", async () => {
    const missingKey = manifest(
      "apiVersion: v1\nkind: Secret\nmetadata: {name: bad, namespace: x}\ntype: kubernetes.io/dockerconfigjson\ndata: {other: eA==}\n",
    );
    const r1 = await kubectl("apply", "-f", missingKey);
    expect(r1.exitCode).toBe(1);
    expect(r1.stderr).toBe('The Secret "bad" is invalid: data[.dockerconfigjson]: Required value\n');

    const badJson = manifest(
      'apiVersion: v1\nkind: Secret\nmetadata: {name: bad, namespace: x}\ntype: kubernetes.io/dockerconfigjson\nstringData: {.dockerconfigjson: "{\\"auths\\": x}"}\n',
    );
    const r2 = await kubectl("apply", "-f", badJson);
    expect(r2.exitCode).toBe(1);
    expect(r2.stderr).toBe(
      'The Secret "bad" is invalid: data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": invalid character \'x\' looking for beginning of value\n',
    );

    const r3 = await kubectl("patch", "secret", "regcred", "-n", "x", "-p", '{"type":"Opaque"}');
    expect(r3.exitCode).toBe(1);
    expect(r3.stderr).toBe(
      'The Secret "regcred" is invalid: type: Invalid value: "Opaque": field is immutable\n',
    );
  });
});

describe("RBAC", () => {
  it("a denied user gets the real Forbidden message", async () => {
    const list = await kubectl("--context", "viewer", "get", "secrets", "-n", "default");
    expect(list.exitCode).toBe(1);
    expect(list.stderr).toBe(
      'Error from server (Forbidden): secrets is forbidden: User "viewer" cannot list resource "secrets" in API group "" in the namespace "default"\n',
    );
    const del = await kubectl("--context", "viewer", "delete", "secret", "regcred", "-n", "x");
    expect(del.exitCode).toBe(1);
    expect(del.stderr).toBe(
      'Error from server (Forbidden): secrets "regcred" is forbidden: User "viewer" cannot delete resource "secrets" in API group "" in the namespace "x"\n',
    );
    const nodes = await kubectl("--context", "viewer", "get", "nodes");
    expect(nodes.stderr).toBe(
      'Error from server (Forbidden): nodes is forbidden: User "viewer" cannot list resource "nodes" in API group "" at the cluster scope\n',
    );
    expect(
      ok(await kubectl("--context", "viewer", "get", "secret", "regcred", "-n", "x", "-o", "name")),
    ).toBe("secret/regcred\n");
  });

  it("auth can-i answers through SelfSubjectAccessReview, --as through impersonation", async () => {
    const canI = async (...args: string[]): Promise<[string, number]> => {
      const r = await kubectl("auth", "can-i", ...args);
      return [r.stdout.trim(), r.exitCode];
    };
    expect(await canI("delete", "secrets", "-n", "x")).toEqual(["yes", 0]);
    expect(await canI("list", "secrets", "-n", "x", "--context", "viewer")).toEqual(["yes", 0]);
    expect(await canI("delete", "secrets", "-n", "x", "--context", "viewer")).toEqual(["no", 1]);
    expect(await canI("list", "secrets", "-n", "default", "--as", "viewer")).toEqual(["no", 1]);

    // RBAC objects in the store count too: a RoleBinding gives the viewer configmaps in x.
    ok(await kubectl("create", "role", "cm-reader", "-n", "x", "--verb=get,list", "--resource=configmaps"));
    ok(await kubectl("create", "rolebinding", "cm-reader", "-n", "x", "--role=cm-reader", "--user=viewer"));
    expect(await canI("list", "configmaps", "-n", "x", "--context", "viewer")).toEqual(["yes", 0]);
    expect(await canI("list", "configmaps", "-n", "default", "--context", "viewer")).toEqual(["no", 1]);

    const list = ok(await kubectl("auth", "can-i", "--list", "-n", "x", "--context", "viewer"));
    expect(list).toMatch(/^configmaps\s+\[\]\s+\[\]\s+\[get list\]$/m);
    const whoami = ok(await kubectl("auth", "whoami", "--context", "viewer"));
    expect(whoami).toMatch(/Username\s+viewer/);
    const imp = await kubectl("--context", "viewer", "get", "secrets", "-n", "x", "--as", "admin");
    expect(imp.stderr).toBe(
      'Error from server (Forbidden): users "admin" is forbidden: User "viewer" cannot impersonate resource "users" in API group "" at the cluster scope\n',
    );
  });
});

describe("watch", () => {
  it("get secrets -w prints objects created while it runs", async () => {
    const watcher = startServer(requireTool("kubectl"), ["get", "secrets", "-n", "watched", "-w"], {
      env: env(),
    });
    try {
      // An empty namespace prints nothing: wait for kubectl's list-then-watch to reach the server.
      await waitUntil(
        "the watch request",
        () => server.requestLog().some((r) => r.verb === "watch" && r.namespace === "watched"),
        { timeoutMs: 10_000, describe: () => watcher.logs() },
      );
      ok(await kubectl("create", "secret", "generic", "live", "-n", "watched", "--from-literal=k=v"));
      await waitUntil(
        "the new secret in the watch output",
        () => /^live\s+Opaque\s+1\s+\d+s$/m.test(watcher.logs()),
        {
          timeoutMs: 10_000,
          describe: () => watcher.logs(),
        },
      );
      ok(await kubectl("label", "secret", "live", "-n", "watched", "x=y"));
      await waitUntil("the modified secret", () => (watcher.logs().match(/^live\s/gm) ?? []).length >= 2, {
        timeoutMs: 10_000,
        describe: () => watcher.logs(),
      });
    } finally {
      await watcher.stop();
    }
  });
});

describe("admission", () => {
  it("kubectl run: the ServiceAccount's imagePullSecrets are copied into a Pod that has none", async () => {
    ok(await kubectl("create", "sa", "puller", "-n", "adm"));
    ok(
      await kubectl("patch", "sa", "puller", "-n", "adm", "-p", '{"imagePullSecrets":[{"name":"regcred"}]}'),
    );
    ok(
      await kubectl(
        "run",
        "with-sa",
        "-n",
        "adm",
        "--image=registry.example/app:1",
        "--overrides",
        '{"spec":{"serviceAccountName":"puller"}}',
      ),
    );
    const pod = server.objects.get("pods", "adm", "with-sa") as KubeObject;
    expect((pod.spec as { imagePullSecrets: unknown }).imagePullSecrets).toEqual([{ name: "regcred" }]);

    const own = manifest(
      [
        "apiVersion: v1",
        "kind: Pod",
        "metadata: {name: own-secrets, namespace: adm}",
        "spec:",
        "  serviceAccountName: puller",
        "  imagePullSecrets: [{name: mine}]",
        "  containers: [{name: c, image: registry.example/app:1}]",
        "",
      ].join("\n"),
    );
    ok(await kubectl("apply", "-f", own));
    const ownPod = server.objects.get("pods", "adm", "own-secrets") as KubeObject;
    expect((ownPod.spec as { imagePullSecrets: unknown }).imagePullSecrets).toEqual([{ name: "mine" }]);

    const missing = manifest(
      "apiVersion: v1\nkind: Pod\nmetadata: {name: lost, namespace: adm}\nspec:\n  serviceAccountName: ghost\n  containers: [{name: c, image: i}]\n",
    );
    const r = await kubectl("create", "-f", missing);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(
      `Error from server (Forbidden): error when creating "${missing}": pods "lost" is forbidden: error looking up service account adm/ghost: serviceaccount "ghost" not found\n`,
    );
  });

  it("namespaces: a default ServiceAccount appears, system namespaces cannot be deleted, missing ones are 404", async () => {
    expect(ok(await kubectl("create", "namespace", "fresh"))).toBe("namespace/fresh created\n");
    expect(ok(await kubectl("get", "sa", "-n", "fresh", "-o", "name"))).toBe("serviceaccount/default\n");
    const del = await kubectl("delete", "namespace", "default");
    expect(del.stderr).toBe(
      'Error from server (Forbidden): namespaces "default" is forbidden: this namespace may not be deleted\n',
    );
    const nowhere = await kubectl("create", "secret", "generic", "s", "-n", "nowhere", "--from-literal=k=v");
    expect(nowhere.stderr).toBe('error: failed to create secret namespaces "nowhere" not found\n');
    expect(ok(await kubectl("delete", "namespace", "fresh"))).toBe('namespace "fresh" deleted\n');
    await waitUntil(
      "the namespace to go",
      () => server.objects.get("namespaces", undefined, "fresh") === undefined,
    );
    expect(server.objects.list("serviceaccounts", "fresh")).toEqual([]);
  });
});
