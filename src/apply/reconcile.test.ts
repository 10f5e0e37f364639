import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CONTROLLER_WRITER,
  MANAGED_BY_LABEL_KEY,
  MANAGED_BY_LABEL_VALUE,
  WRITER_LABEL_KEY,
} from "../desired/index.js";
import type {
  JsonPatchOperation,
  PodObject,
  SecretObject,
  ServiceAccountObject,
} from "../kube-model/index.js";
import { renderDiff } from "./diff.js";
import { OWNED_ENTRIES_ANNOTATION } from "./model.js";
import type { Action, ApplyDesired, Observed, ReconcileOptions } from "./model.js";
import { encodePayload, ownedEntries, planBind, planUnbind, reconcile } from "./reconcile.js";

const PAYLOAD = JSON.stringify({
  auths: {
    "ghcr.io": {
      username: "bot",
      password: "s3cret-value",
      auth: Buffer.from("bot:s3cret-value").toString("base64"),
    },
  },
});
const OTHER_PAYLOAD = JSON.stringify({
  auths: {
    "ghcr.io": {
      username: "bot",
      password: "rotated-value",
      auth: Buffer.from("bot:rotated-value").toString("base64"),
    },
  },
});
const OWNED = { [MANAGED_BY_LABEL_KEY]: MANAGED_BY_LABEL_VALUE };
const CONTROLLERS = { ...OWNED, [WRITER_LABEL_KEY]: CONTROLLER_WRITER };

function secret(
  namespace: string,
  name: string,
  options: { labels?: Record<string, string>; payload?: string; type?: string } = {},
): SecretObject {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      namespace,
      name,
      resourceVersion: "7",
      uid: `uid-${namespace}-${name}`,
      ...(options.labels ? { labels: options.labels } : {}),
    },
    type: options.type ?? "kubernetes.io/dockerconfigjson",
    data: { ".dockerconfigjson": encodePayload(options.payload ?? PAYLOAD) },
  };
}

function account(
  namespace: string,
  entries?: string[],
  owned?: string[],
  name = "default",
): ServiceAccountObject {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: {
      namespace,
      name,
      resourceVersion: "3",
      ...(owned ? { annotations: { [OWNED_ENTRIES_ANNOTATION]: owned.join(",") } } : {}),
    },
    ...(entries ? { imagePullSecrets: entries.map((n) => ({ name: n })) } : {}),
  };
}

function desired(
  namespaces: string[],
  accounts = ["default"],
  name = "ghcr-pull",
  payload = PAYLOAD,
): ApplyDesired {
  return {
    namespaces,
    secrets: namespaces.map((namespace) => ({ namespace, name, payload })),
    bindings: namespaces.flatMap((namespace) =>
      accounts.map((serviceAccount) => ({ namespace, serviceAccount, secretName: name })),
    ),
  };
}

function observed(parts: Partial<Observed> = {}, active: string[] = []): Observed {
  return {
    namespaces: parts.namespaces ?? new Map(active.map((n) => [n, "active" as const])),
    secrets: parts.secrets ?? [],
    serviceAccounts: parts.serviceAccounts ?? [],
    pods: parts.pods ?? [],
    workloads: parts.workloads ?? [],
    readFailures: parts.readFailures ?? [],
  };
}

const types = (actions: readonly Action[]) => actions.map((a) => `${a.namespace} ${a.object} ${a.type}`);

describe("reconcile", () => {
  it("creates the secret and appends the binding in an empty namespace", () => {
    const actions = reconcile(desired(["a"]), observed({ serviceAccounts: [account("a")] }, ["a"]));
    expect(types(actions)).toEqual(["a secret/ghcr-pull create-secret", "a serviceaccount/default bind"]);
    const bind = actions[1] as Extract<Action, { operations: unknown }>;
    expect(bind.operations).toEqual([
      { op: "test", path: "/imagePullSecrets", value: null },
      { op: "test", path: "/metadata/annotations", value: null },
      { op: "add", path: "/imagePullSecrets", value: [{ name: "ghcr-pull" }] },
      { op: "add", path: "/metadata/annotations", value: { [OWNED_ENTRIES_ANNOTATION]: "ghcr-pull" } },
    ]);
  });

  it("does nothing when everything is in place", () => {
    const actions = reconcile(
      desired(["a"]),
      observed(
        {
          secrets: [secret("a", "ghcr-pull", { labels: OWNED })],
          serviceAccounts: [account("a", ["x", "ghcr-pull"], ["ghcr-pull"])],
        },
        ["a"],
      ),
    );
    expect(types(actions)).toEqual(["a secret/ghcr-pull unchanged", "a serviceaccount/default unchanged"]);
  });

  it("updates only the data of an owned secret whose credential changed", () => {
    const actions = reconcile(
      desired(["a"], [], "ghcr-pull", OTHER_PAYLOAD),
      observed({ secrets: [secret("a", "ghcr-pull", { labels: OWNED })] }, ["a"]),
    );
    expect(actions[0]).toMatchObject({
      type: "update-secret",
      dataChanged: true,
      adopt: false,
      resourceVersion: "7",
    });
  });

  it("refuses a same-named secret it does not own, and skips its bindings there", () => {
    const actions = reconcile(
      desired(["a", "b"]),
      observed({ secrets: [secret("a", "ghcr-pull")], serviceAccounts: [account("a"), account("b")] }, [
        "a",
        "b",
      ]),
    );
    expect(types(actions)).toEqual([
      "a secret/ghcr-pull refuse",
      "b secret/ghcr-pull create-secret",
      "b serviceaccount/default bind",
    ]);
    expect((actions[0] as { message: string }).message).toMatch(/not managed by pullwarden/);
  });

  it("names the other manager of a same-named secret, and adopts it only with adopt", () => {
    const helm = secret("a", "ghcr-pull", { labels: { [MANAGED_BY_LABEL_KEY]: "Helm" } });
    const refused = reconcile(desired(["a"], []), observed({ secrets: [helm] }, ["a"]));
    expect((refused[0] as { message: string }).message).toContain("app.kubernetes.io/managed-by=Helm");
    const adopted = reconcile(desired(["a"], []), observed({ secrets: [helm] }, ["a"]), { adopt: true });
    expect(adopted[0]).toMatchObject({
      type: "update-secret",
      adopt: true,
      dataChanged: false,
      previousManager: "Helm",
    });
  });

  it("refuses a secret of another type even when owned (the type is immutable)", () => {
    const actions = reconcile(
      desired(["a"], []),
      observed({ secrets: [secret("a", "ghcr-pull", { labels: OWNED, type: "Opaque" })] }, ["a"]),
    );
    expect(actions[0]).toMatchObject({ type: "refuse" });
    expect((actions[0] as { message: string }).message).toMatch(/type Opaque/);
  });

  it("refuses missing namespaces and ServiceAccounts; fails namespaces it could not read", () => {
    const failure = {
      namespace: "c",
      resource: "secrets" as const,
      error: new Error("cannot get secrets in c as bob"),
    };
    const actions = reconcile(
      desired(["a", "b", "c"], ["default", "builder"]),
      observed({
        namespaces: new Map([
          ["a", "missing"],
          ["b", "active"],
          ["c", "active"],
        ]),
        serviceAccounts: [account("b")],
        readFailures: [failure],
      }),
    );
    expect(types(actions)).toEqual([
      "a namespace/a refuse",
      "b secret/ghcr-pull create-secret",
      "b serviceaccount/default bind",
      "b serviceaccount/builder refuse",
      "c namespace/c fail",
    ]);
  });

  it("prunes owned secrets left out of the selection, and the entries it added for them", () => {
    const actions = reconcile(
      desired(["a"]),
      observed(
        {
          secrets: [
            secret("a", "ghcr-pull", { labels: OWNED }),
            secret("b", "ghcr-pull", { labels: OWNED }),
            secret("c", "ghcr-pull"),
          ],
          serviceAccounts: [
            account("a", ["ghcr-pull"], ["ghcr-pull"]),
            account("b", ["mine", "ghcr-pull", "theirs"], ["ghcr-pull"]),
            account("c", ["ghcr-pull"]),
          ],
        },
        ["a", "b", "c"],
      ),
      { prune: { kind: "names", names: ["ghcr-pull"] } },
    );
    expect(types(actions)).toEqual([
      "a secret/ghcr-pull unchanged",
      "a serviceaccount/default unchanged",
      "b serviceaccount/default unbind",
      "b secret/ghcr-pull delete-secret",
    ]);
    const unbind = actions[2] as Extract<Action, { operations: unknown }>;
    expect(unbind.after).toEqual(["mine", "theirs"]);
    expect(unbind.operations).toContainEqual({ op: "remove", path: "/imagePullSecrets/1" });
  });

  it("never prunes, updates or adopts the controller's secrets, nor unbinds the entries naming them", () => {
    const actions = reconcile(
      desired(["a"]),
      observed(
        {
          secrets: [
            secret("a", "ghcr-pull", { labels: CONTROLLERS }),
            secret("a", "ecr-pull", { labels: CONTROLLERS }),
            secret("b", "ecr-pull", { labels: OWNED }),
          ],
          serviceAccounts: [
            account("a", ["ecr-pull"], ["ecr-pull"]),
            account("b", ["ecr-pull"], ["ecr-pull"]),
          ],
        },
        ["a", "b"],
      ),
      { prune: { kind: "all-owned" }, adopt: true },
    );
    expect(types(actions)).toEqual([
      "a secret/ghcr-pull refuse",
      "b serviceaccount/default unbind",
      "b secret/ecr-pull delete-secret",
    ]);
    expect((actions[0] as { message: string }).message).toBe(
      "is written by the pullwarden controller (label pullwarden.io/writer=controller): left as is, and its ServiceAccount bindings in this namespace are skipped",
    );
  });

  it("as the controller, owns only its own secrets: apply's are refused, never adopted", () => {
    const actions = reconcile(
      desired(["a", "b", "c"], ["default"], "ghcr-pull", OTHER_PAYLOAD),
      observed(
        {
          secrets: [
            secret("a", "ghcr-pull", { labels: OWNED }),
            secret("b", "ghcr-pull", { labels: CONTROLLERS }),
            secret("c", "ghcr-pull", { labels: { [MANAGED_BY_LABEL_KEY]: "Helm" } }),
          ],
          serviceAccounts: [account("a"), account("b", ["ghcr-pull"], ["ghcr-pull"]), account("c")],
        },
        ["a", "b", "c"],
      ),
      { writer: "controller" },
    );
    expect(types(actions)).toEqual([
      "a secret/ghcr-pull refuse",
      "b secret/ghcr-pull update-secret",
      "b serviceaccount/default unchanged",
      "c secret/ghcr-pull refuse",
    ]);
    expect((actions[0] as { message: string }).message).toBe(
      "is written by pullwarden apply, not by the controller: left as is",
    );
  });

  it("warns about Pods admitted before the binding and restarts stuck ones only when asked", () => {
    const pod = (name: string, extra: Partial<PodObject> = {}, stuck = false): PodObject => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        namespace: "a",
        name,
        uid: `uid-${name}`,
        ownerReferences: [
          { apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-1", uid: "rs", controller: true },
        ],
      },
      spec: { serviceAccountName: "default", containers: [{ name: "app", image: "ghcr.io/org/app:1" }] },
      status: stuck
        ? {
            phase: "Pending",
            containerStatuses: [{ name: "app", state: { waiting: { reason: "ImagePullBackOff" } } }],
          }
        : { phase: "Running" },
      ...extra,
    });
    const workload = {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: { namespace: "a", name: "web-1" },
      spec: { template: { spec: {} } },
    };
    const state = observed(
      {
        serviceAccounts: [account("a")],
        pods: [pod("running"), pod("stuck", {}, true)],
        workloads: [workload],
      },
      ["a"],
    );
    const warnOnly = reconcile(desired(["a"]), state);
    expect(types(warnOnly)).toEqual([
      "a secret/ghcr-pull create-secret",
      "a serviceaccount/default bind",
      "a serviceaccount/default warn",
    ]);
    expect((warnOnly[2] as { message: string }).message).toBe(
      "2 Pods were admitted before it had ghcr-pull and lack it: pod/running, pod/stuck (1 stuck in ErrImagePull/ImagePullBackOff)",
    );
    const restart = reconcile(desired(["a"]), state, { restartStuck: true });
    expect(restart[3]).toMatchObject({
      type: "restart-pod",
      pod: "stuck",
      controller: "ReplicaSet/web-1",
      uid: "uid-stuck",
    });
  });
});

describe("redacted diff", () => {
  it("describes secret data by registry, never by value", () => {
    const actions = reconcile(
      desired(["a"], ["default"], "ghcr-pull", OTHER_PAYLOAD),
      observed(
        {
          secrets: [secret("a", "ghcr-pull", { labels: OWNED })],
          serviceAccounts: [account("a", ["theirs"])],
        },
        ["a"],
      ),
    );
    const diff = renderDiff(actions);
    expect(diff).toBe(
      [
        "~~~ secret a/ghcr-pull (update)",
        "  ~ data[.dockerconfigjson]: changed (values hidden)",
        "    ~ ghcr.io (credentials changed)",
        "~~~ serviceaccount a/default (imagePullSecrets)",
        "  - imagePullSecrets: [theirs]",
        "  + imagePullSecrets: [theirs, ghcr-pull]",
        "",
      ].join("\n"),
    );
    for (const value of [
      "s3cret-value",
      "rotated-value",
      encodePayload(OTHER_PAYLOAD),
      Buffer.from("bot:rotated-value").toString("base64"),
    ]) {
      expect(diff).not.toContain(value);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// Properties over random ServiceAccounts and secrets: simulate the writes, then reconcile again.

function pointer(path: string): string[] {
  return path
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** A minimal RFC 6902 applier for the ops reconcile emits (test, add, remove), with Go jsonpatch's null test. */
function applyJsonPatch(document: unknown, operations: readonly JsonPatchOperation[]): unknown {
  const out = structuredClone(document) as Record<string, unknown>;
  for (const op of operations) {
    const path = pointer(op.path);
    const last = path.pop() as string;
    let parent: unknown = out;
    for (const segment of path) parent = (parent as Record<string, unknown>)[segment];
    const container = parent as Record<string, unknown> | unknown[];
    if (op.op === "test") {
      const actual = (container as Record<string, unknown>)?.[last];
      if (JSON.stringify(actual ?? null) !== JSON.stringify(op.value))
        throw new Error(`test ${op.path} failed`);
    } else if (op.op === "add") {
      if (Array.isArray(container))
        container.splice(last === "-" ? container.length : Number(last), 0, op.value);
      else (container as Record<string, unknown>)[last] = op.value;
    } else if (op.op === "remove") {
      if (Array.isArray(container)) container.splice(Number(last), 1);
      else delete (container as Record<string, unknown>)[last];
    }
  }
  return out;
}

function simulate(state: Observed, actions: readonly Action[]): Observed {
  let secrets = [...state.secrets];
  let accounts = [...state.serviceAccounts];
  for (const action of actions) {
    switch (action.type) {
      case "create-secret":
        secrets.push(secret(action.namespace, action.name, { labels: OWNED, payload: action.payload }));
        break;
      case "update-secret":
        secrets = secrets.map((s) =>
          s.metadata.namespace === action.namespace && s.metadata.name === action.name
            ? secret(action.namespace, action.name, {
                labels: { ...s.metadata.labels, ...OWNED },
                payload: action.payload,
              })
            : s,
        );
        break;
      case "delete-secret":
        secrets = secrets.filter(
          (s) => !(s.metadata.namespace === action.namespace && s.metadata.name === action.name),
        );
        break;
      case "bind":
      case "unbind":
        accounts = accounts.map((a) =>
          a.metadata.namespace === action.namespace && a.metadata.name === action.serviceAccount
            ? (applyJsonPatch(a, action.operations) as ServiceAccountObject)
            : a,
        );
        break;
      default:
        break;
    }
  }
  return { ...state, secrets, serviceAccounts: accounts };
}

const NAMES = ["ghcr-pull", "other", "legacy", "team-x"];
const namespaceArb = fc.record({
  entries: fc.option(fc.array(fc.constantFrom(...NAMES), { maxLength: 5 }), { nil: undefined }),
  owned: fc.option(fc.subarray(NAMES), { nil: undefined }),
  secret: fc.constantFrom("absent", "owned-same", "owned-different", "unowned"),
});

describe("properties", () => {
  it("one run converges (a second run plans no write) and entries pullwarden does not own stay as they were", () => {
    fc.assert(
      fc.property(
        fc.array(namespaceArb, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (namespaces, adopt, prune, twoSecrets) => {
          const names = namespaces.map((_, i) => `ns${i}`);
          const state = observed(
            {
              secrets: namespaces.flatMap((n, i) => {
                const ns = names[i] as string;
                if (n.secret === "absent") return [];
                if (n.secret === "unowned") return [secret(ns, "ghcr-pull")];
                return [
                  secret(ns, "ghcr-pull", {
                    labels: OWNED,
                    payload: n.secret === "owned-same" ? PAYLOAD : OTHER_PAYLOAD,
                  }),
                ];
              }),
              serviceAccounts: namespaces.map((n, i) => account(names[i] as string, n.entries, n.owned)),
            },
            names,
          );
          // Only the first half of the namespaces is still wanted: the rest is pruned when asked.
          const wanted = names.slice(0, Math.ceil(names.length / 2));
          const options: ReconcileOptions = {
            adopt,
            ...(prune ? { prune: { kind: "names", names: ["ghcr-pull"] } } : {}),
          };
          // Sometimes a second secret bound to the same ServiceAccount: its patch is planned on what the first leaves.
          const want = (): ApplyDesired => {
            const one = desired(wanted);
            if (!twoSecrets) return one;
            const two = desired(wanted, ["default"], "team-x", OTHER_PAYLOAD);
            return {
              namespaces: one.namespaces,
              secrets: [...one.secrets, ...two.secrets],
              bindings: [...one.bindings, ...two.bindings],
            };
          };
          const first = reconcile(want(), state, options);
          const after = simulate(state, first);
          const second = reconcile(want(), after, options);
          const secondWrites = second.filter(
            (a) => !["unchanged", "warn", "refuse", "fail"].includes(a.type),
          );
          expect(secondWrites).toEqual([]);

          for (const [i, n] of namespaces.entries()) {
            const ns = names[i] as string;
            const before = state.serviceAccounts.find(
              (a) => a.metadata.namespace === ns,
            ) as ServiceAccountObject;
            const now = after.serviceAccounts.find(
              (a) => a.metadata.namespace === ns,
            ) as ServiceAccountObject;
            const owned = ownedEntries(before);
            const foreign = (list: readonly { name?: string }[] | undefined) =>
              (list ?? [])
                .map((e) => e.name)
                .filter(
                  (name) =>
                    !owned.includes(name ?? "") && name !== "ghcr-pull" && !(twoSecrets && name === "team-x"),
                );
            expect(foreign(now.imagePullSecrets)).toEqual(foreign(before.imagePullSecrets));
            // A secret pullwarden does not own is never written without --adopt, and never deleted.
            if (n.secret === "unowned") {
              const touched = first.filter((a) => a.namespace === ns && a.object === "secret/ghcr-pull");
              for (const action of touched) {
                if (!adopt) expect(["refuse"]).toContain(action.type);
                expect(action.type).not.toBe("delete-secret");
              }
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("an unbind removes exactly its own entry; bind after unbind restores the list", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...NAMES), { maxLength: 6 }), (entries) => {
        const start = account("a", [...entries], []);
        const bound = planBind({ namespace: "a", serviceAccount: "default", secretName: "mine" }, start);
        if (bound.type !== "bind") throw new Error("expected a bind");
        const withMine = applyJsonPatch(start, bound.operations) as ServiceAccountObject;
        expect((withMine.imagePullSecrets ?? []).map((e) => e.name)).toEqual([...entries, "mine"]);
        const unbound = planUnbind(withMine, "mine");
        if (!unbound || unbound.type !== "unbind") throw new Error("expected an unbind");
        const back = applyJsonPatch(withMine, unbound.operations) as ServiceAccountObject;
        expect((back.imagePullSecrets ?? []).map((e) => e.name)).toEqual(entries);
        expect(ownedEntries(back)).toEqual([]);
      }),
    );
  });
});
