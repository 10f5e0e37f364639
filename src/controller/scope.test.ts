import { describe, expect, it } from "vitest";
import type { ClusterPullSecretBinding } from "../desired/index.js";
import { selectedNamespaces } from "./desired.js";
import { byNameOnly, outOfScope, scopedNamespaceViews } from "./scope.js";

function binding(namespaces: ClusterPullSecretBinding["spec"]["namespaces"]): ClusterPullSecretBinding {
  return {
    apiVersion: "pullwarden.io/v1alpha1",
    kind: "ClusterPullSecretBinding",
    metadata: { name: "b" },
    spec: { credentials: ["a"], secretName: "pull", namespaces },
  };
}

describe("scopedNamespaceViews", () => {
  it("is the watched namespaces minus the refused ones, once each, without labels", () => {
    expect(scopedNamespaceViews(["a", "b", "a", "c"], new Set(["c"]))).toEqual([
      { name: "a", labels: {}, terminating: false },
      { name: "b", labels: {}, terminating: false },
    ]);
  });

  it("with byNameOnly, a binding selects by name only: no label selector selects any of them", () => {
    const views = scopedNamespaceViews(["a", "b"], new Set());
    const select = (namespaces: ClusterPullSecretBinding["spec"]["namespaces"]) =>
      selectedNamespaces(byNameOnly(binding(namespaces)), views);
    expect(select({ names: ["b", "z"] })).toEqual(["b"]);
    // An empty selector or a NotIn would match every unlabelled namespace: dropped, not evaluated.
    expect(select({ selector: {} })).toEqual([]);
    expect(
      select({ selector: { matchExpressions: [{ key: "t", operator: "NotIn", values: ["x"] }] } }),
    ).toEqual([]);
    expect(select({ names: ["a"], selector: {} })).toEqual(["a"]);
  });
});

describe("outOfScope", () => {
  const cases: [string, ClusterPullSecretBinding["spec"]["namespaces"], string | undefined][] = [
    ["all names watched and readable", { names: ["a", "b"] }, undefined],
    [
      "a name not watched",
      { names: ["a", "z"] },
      "scoped mode: not watched (add to --watch-namespaces / scope.namespaces): z",
    ],
    [
      "a watched name refused",
      { names: ["a", "c"] },
      "scoped mode: refused by the API server (no Role there, or no such namespace): c",
    ],
    [
      "a selector",
      { names: ["a"], selector: { matchLabels: { team: "a" } } },
      "scoped mode: its label selector matches nothing in scoped mode (Namespaces cannot be read): list the names",
    ],
    [
      "many unwatched names, shortened",
      { names: ["n1", "n2", "n3", "n4", "n5", "n6", "n7"] },
      "scoped mode: not watched (add to --watch-namespaces / scope.namespaces): n1, n2, n3, n4, n5 and 2 more",
    ],
  ];
  it.each(cases)("%s", (_name, namespaces, expected) => {
    expect(outOfScope(binding(namespaces), ["a", "b", "c"], new Set(["c"]))).toBe(expected);
  });

  it("stays one line with a name that is no namespace name (quoted)", () => {
    expect(outOfScope(binding({ names: ["x\ny", "../b"] }), ["a"], new Set())).toBe(
      'scoped mode: not watched (add to --watch-namespaces / scope.namespaces): "x\\ny", "../b"',
    );
  });
});
