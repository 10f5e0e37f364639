import { describe, expect, it } from "vitest";
import type { ClusterPullCredential, ClusterPullSecretBinding } from "../desired/index.js";
import { afterRefresh, fingerprintOf } from "./credential-state.js";
import { DEFAULT_REFRESH_POLICY } from "./schedule.js";
import { bindingStatus, credentialStatus } from "./status.js";

const t0 = new Date("2026-06-01T00:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);
const entries = [{ key: "r.example", username: "u", password: "p" }];
const credential: ClusterPullCredential = {
  apiVersion: "pullwarden.io/v1alpha1",
  kind: "ClusterPullCredential",
  metadata: { name: "c", generation: 3 },
  spec: { source: { acr: { registry: "r.example" } } },
};

describe("credentialStatus", () => {
  const served = afterRefresh(
    undefined,
    "g",
    {
      kind: "accepted",
      candidate: {
        entries,
        registries: ["r.example"],
        fingerprint: fingerprintOf(entries),
        obtainedAt: t0,
        expiresAt: at(8_000),
      },
    },
    t0,
    DEFAULT_REFRESH_POLICY,
    () => 0.5,
  ).state;

  it("computed again from the same facts, it is the same (no write for an idle controller)", () => {
    const first = credentialStatus(credential, served, at(1_000));
    const again = credentialStatus({ ...credential, status: first }, served, at(2_000));
    expect(again).toEqual(first);
    expect(first).toMatchObject({
      observedGeneration: 3,
      expiresAt: "2026-06-01T00:00:08Z",
      lastRefreshTime: "2026-06-01T00:00:00Z",
      registries: ["r.example"],
    });
  });

  it("ExpiringSoon and then Expired, each with its own transition time", () => {
    const fresh = credentialStatus(credential, served, at(1_000));
    const soon = credentialStatus({ ...credential, status: fresh }, served, at(7_000));
    expect(soon.conditions?.find((c) => c.type === "ExpiringSoon")).toMatchObject({
      status: "True",
      lastTransitionTime: "2026-06-01T00:00:07Z",
    });
    expect(soon.conditions?.find((c) => c.type === "Ready")).toMatchObject({
      status: "True",
      lastTransitionTime: "2026-06-01T00:00:01Z",
    });
    const expired = credentialStatus({ ...credential, status: soon }, served, at(9_000));
    expect(expired.conditions?.find((c) => c.type === "Ready")).toMatchObject({
      status: "False",
      reason: "Expired",
    });
  });

  it("an invalid spec says so on Ready", () => {
    expect(credentialStatus(credential, undefined, t0, "spec.source: missing").conditions?.[0]).toMatchObject(
      { status: "False", reason: "InvalidSpec", message: "spec.source: missing" },
    );
  });
});

describe("bindingStatus", () => {
  const binding: ClusterPullSecretBinding = {
    apiVersion: "pullwarden.io/v1alpha1",
    kind: "ClusterPullSecretBinding",
    metadata: { name: "b" },
    spec: { credentials: ["c"], secretName: "pull", namespaces: { names: ["a", "b"] } },
  };
  it.each([
    [{ namespaces: ["a", "b"], inSync: 2, conflicts: [], failures: [] }, "InSync"],
    [{ namespaces: ["a", "b"], inSync: 1, conflicts: ["a"], failures: [] }, "SecretConflict"],
    [{ namespaces: ["a"], inSync: 0, conflicts: [], failures: [], held: "waiting" }, "CredentialUnavailable"],
    [{ namespaces: ["a"], inSync: 0, conflicts: [], failures: ["a: secret/pull forbidden"] }, "WriteFailed"],
    [
      {
        namespaces: ["a"],
        inSync: 1,
        conflicts: [],
        failures: [],
        outOfScope: "scoped mode: not watched: b",
      },
      "OutOfScope",
    ],
    // A conflict or a failed write in a served namespace says more than what is out of scope.
    [{ namespaces: ["a"], inSync: 0, conflicts: ["a"], failures: [], outOfScope: "x" }, "SecretConflict"],
    [
      { namespaces: [], inSync: 0, conflicts: [], failures: [], invalid: "spec.secretName: missing" },
      "InvalidSpec",
    ],
  ])("%o → %s", (outcome, reason) => {
    expect(bindingStatus(binding, outcome, t0).conditions?.[0]?.reason).toBe(reason);
  });
});
