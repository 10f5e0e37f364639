import { describe, expect, it } from "vitest";
import type { ClusterPullSecretBinding } from "../desired/index.js";
import type { Candidate } from "./credential-state.js";
import { fingerprintOf } from "./credential-state.js";
import { desiredFromBindings, selectedNamespaces } from "./desired.js";
import type { CredentialView, NamespaceView } from "./desired.js";

const now = new Date("2026-06-01T00:00:00Z");

function binding(name: string, spec: Partial<ClusterPullSecretBinding["spec"]>): ClusterPullSecretBinding {
  return {
    apiVersion: "pullwarden.io/v1alpha1",
    kind: "ClusterPullSecretBinding",
    metadata: { name },
    spec: { credentials: ["a"], secretName: "pull", namespaces: { names: ["team-a"] }, ...spec },
  };
}

function served(key: string, password: string, expiresAt?: Date): CredentialView {
  const entries = [{ key, username: "u", password }];
  return {
    served: {
      entries,
      registries: [key],
      fingerprint: fingerprintOf(entries),
      obtainedAt: new Date(now.getTime() - 1000),
      ...(expiresAt ? { expiresAt } : {}),
    } satisfies Candidate,
  };
}

const namespaces: NamespaceView[] = [
  { name: "team-a", labels: { team: "a" }, terminating: false },
  { name: "team-b", labels: { team: "b", pulls: "yes" }, terminating: false },
  { name: "team-c", labels: { pulls: "yes" }, terminating: true },
];

describe("selectedNamespaces", () => {
  it("by name (existing only) or by label selector, never a terminating namespace", () => {
    expect(
      selectedNamespaces(
        binding("x", {
          namespaces: { names: ["team-a", "gone"], selector: { matchLabels: { pulls: "yes" } } },
        }),
        namespaces,
      ),
    ).toEqual(["team-a", "team-b"]);
  });
});

describe("desiredFromBindings", () => {
  it("one Secret per namespace and secret name, merged from every credential targeting it (the first wins a registry)", () => {
    const plan = desiredFromBindings(
      [
        binding("z-second", {
          credentials: ["b"],
          namespaces: { names: ["team-a"] },
          serviceAccounts: ["default"],
        }),
        binding("a-first", { credentials: ["a"], namespaces: { names: ["team-a", "team-b"] } }),
      ],
      new Map([
        ["a", served("one.example", "pa")],
        [
          "b",
          {
            served: {
              ...served("two.example", "pb").served!,
              entries: [
                { key: "one.example", username: "u", password: "other" },
                { key: "two.example", username: "u", password: "pb" },
              ],
            },
          },
        ],
      ]),
      namespaces,
      now,
    );
    expect(plan.desired.namespaces).toEqual(["team-a", "team-b"]);
    const teamA = plan.desired.secrets.find((s) => s.namespace === "team-a");
    expect(JSON.parse(teamA?.payload ?? "{}").auths).toEqual({
      "one.example": { username: "u", password: "pa", auth: Buffer.from("u:pa").toString("base64") },
      "two.example": { username: "u", password: "pb", auth: Buffer.from("u:pb").toString("base64") },
    });
    expect(plan.desired.bindings).toEqual([
      { namespace: "team-a", serviceAccount: "default", secretName: "pull" },
    ]);
  });

  it("holds a target while a credential is missing or not obtained yet, and leaves expired credentials out", () => {
    const expired = served("two.example", "old", new Date(now.getTime() - 1));
    const plan = desiredFromBindings(
      [
        binding("missing", { credentials: ["nope"], secretName: "s1" }),
        binding("pending", { credentials: ["p"], secretName: "s2" }),
        binding("partly-expired", { credentials: ["a", "x"], secretName: "s3" }),
        binding("all-expired", { credentials: ["x"], secretName: "s4" }),
      ],
      new Map([
        ["p", { served: undefined }],
        ["a", served("one.example", "pa")],
        ["x", expired],
      ]),
      namespaces,
      now,
    );
    expect(plan.heldBindings).toEqual(
      new Map([
        ["missing", "ClusterPullCredential nope not found"],
        ["pending", "waiting for ClusterPullCredential p to obtain a credential"],
      ]),
    );
    expect(plan.desired.secrets.map((s) => s.name)).toEqual(["s3"]);
    expect(Object.keys(JSON.parse(plan.desired.secrets[0]?.payload ?? "{}").auths)).toEqual(["one.example"]);
    expect(plan.targets.find((t) => t.secretName === "s4")?.held).toBe("every credential of s4 has expired");
  });
});
