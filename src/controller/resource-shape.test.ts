import { describe, expect, it } from "vitest";
import type { ClusterPullCredential, ClusterPullSecretBinding } from "../desired/index.js";
import { bindingProblems, credentialProblems } from "./resource-shape.js";

const cred = (spec: unknown) =>
  ({
    apiVersion: "pullwarden.io/v1alpha1",
    kind: "ClusterPullCredential",
    metadata: { name: "c" },
    spec,
  }) as unknown as ClusterPullCredential;
const bind = (spec: unknown) =>
  ({
    apiVersion: "pullwarden.io/v1alpha1",
    kind: "ClusterPullSecretBinding",
    metadata: { name: "b" },
    spec,
  }) as unknown as ClusterPullSecretBinding;

describe("hostile custom resources", () => {
  it.each<[string, unknown, string[]]>([
    ["valid static", { source: { static: { secretRef: { name: "s" } } } }, []],
    [
      "valid ecr",
      { source: { ecr: { registry: "1.dkr.ecr.eu-west-1.amazonaws.com" } }, verify: { image: "x/y:1" } },
      [],
    ],
    ["no spec", undefined, ["spec: missing"]],
    ["spec is a string", "nope", ["spec: missing"]],
    ["source is an array", { source: [] }, ["spec.source: missing"]],
    [
      "two sources",
      { source: { ecr: { registry: "a" }, acr: { registry: "b" } } },
      ["spec.source: exactly one of static, ecr, acr (found 2)"],
    ],
    [
      "static without a name",
      { source: { static: { secretRef: {} } } },
      ["spec.source.static.secretRef.name: missing"],
    ],
    ["acr registry a number", { source: { acr: { registry: 5 } } }, ["spec.source.acr.registry: missing"]],
    [
      "verify image an object",
      { source: { acr: { registry: "x" } }, verify: { image: {} } },
      ["spec.verify.image: not a string"],
    ],
  ])("credential: %s", (_title, spec, problems) => {
    expect(credentialProblems(cred(spec))).toEqual(problems);
  });

  it.each<[string, unknown, string[]]>([
    [
      "valid",
      {
        credentials: ["c"],
        secretName: "s",
        namespaces: { names: ["a"], selector: { matchLabels: { a: "b" } } },
        serviceAccounts: ["default"],
      },
      [],
    ],
    ["no spec", null, ["spec: missing"]],
    [
      "credentials a string",
      { credentials: "c", secretName: "s", namespaces: { names: [] } },
      ["spec.credentials: a list of ClusterPullCredential names is required"],
    ],
    [
      "empty credentials",
      { credentials: [], secretName: "s", namespaces: { names: [] } },
      ["spec.credentials: a list of ClusterPullCredential names is required"],
    ],
    ["no namespaces", { credentials: ["c"], secretName: "s" }, ["spec.namespaces: missing"]],
    [
      "names with a number",
      { credentials: ["c"], secretName: "s", namespaces: { names: ["a", 1] } },
      ["spec.namespaces.names: not a list of names"],
    ],
    [
      "matchLabels with a number",
      { credentials: ["c"], secretName: "s", namespaces: { selector: { matchLabels: { a: 1 } } } },
      ["spec.namespaces.selector: not a label selector"],
    ],
    [
      "bad operator",
      {
        credentials: ["c"],
        secretName: "s",
        namespaces: { selector: { matchExpressions: [{ key: "a", operator: "Equals" }] } },
      },
      [
        'spec.namespaces.selector.matchExpressions[0]: operator "Equals" is not In, NotIn, Exists or DoesNotExist',
      ],
    ],
    [
      "accounts not a list",
      { credentials: ["c"], secretName: "s", namespaces: { names: [] }, serviceAccounts: "default" },
      ["spec.serviceAccounts: not a list of names"],
    ],
  ])("binding: %s", (_title, spec, problems) => {
    expect(bindingProblems(bind(spec))).toEqual(problems);
  });
});
