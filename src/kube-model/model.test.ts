// The Kubernetes facts of kube-model hold together: kinds and scopes agree, every workload kind's Pod spec is
// where its path says, and JSON pointers round-trip.
import { describe, expect, it } from "vitest";
import {
  CLUSTER_SCOPED_KINDS,
  KIND_INFO,
  POD_SPEC_LOCATIONS,
  WORKLOAD_KINDS,
  isNamespacedKind,
  isPodSpecKind,
  jsonPointer,
  jsonPointerSegment,
  nestAtPodSpec,
  parseJsonPointer,
  podSpecLocation,
} from "./index.js";

describe("kinds", () => {
  it("KIND_INFO's scope agrees with the cluster-scoped kinds", () => {
    for (const [kind, info] of Object.entries(KIND_INFO)) {
      expect(info.namespaced, kind).toBe(isNamespacedKind(kind));
      expect(CLUSTER_SCOPED_KINDS.has(kind), kind).toBe(!info.namespaced);
    }
  });

  it("every kind that owns Pods keeps a mutable Pod template", () => {
    for (const kind of WORKLOAD_KINDS)
      expect(podSpecLocation(kind)?.path.slice(-3)).toEqual(["spec", "template", "spec"]);
  });
});

describe("Pod specs", () => {
  it("a Pod's spec is its own, a CronJob's is in its Job template", () => {
    expect(POD_SPEC_LOCATIONS.Pod.path).toEqual(["spec"]);
    expect(POD_SPEC_LOCATIONS.CronJob.path).toEqual(["spec", "jobTemplate", "spec", "template", "spec"]);
    expect(podSpecLocation("Service")).toBeUndefined();
    expect(isPodSpecKind("toString")).toBe(false);
  });

  it("only Deployments, StatefulSets and DaemonSets roll out; Pods and Jobs cannot be changed", () => {
    const rolling = Object.entries(POD_SPEC_LOCATIONS).filter(([, l]) => l.rolloutRestart);
    expect(rolling.map(([kind]) => kind)).toEqual(["Deployment", "StatefulSet", "DaemonSet"]);
    const fixed = Object.entries(POD_SPEC_LOCATIONS).filter(([, l]) => !l.mutable);
    expect(fixed.map(([kind]) => kind)).toEqual(["Pod", "Job"]);
  });

  it("nests a partial Pod spec where the kind keeps it", () => {
    expect(nestAtPodSpec("Deployment", { a: 1 })).toEqual({ spec: { template: { spec: { a: 1 } } } });
    expect(nestAtPodSpec("CronJob", { a: 1 })).toEqual({
      spec: { jobTemplate: { spec: { template: { spec: { a: 1 } } } } },
    });
    expect(nestAtPodSpec("Pod", { a: 1 })).toEqual({ spec: { a: 1 } });
  });
});

describe("JSON pointers", () => {
  it("escapes and parses segments (RFC 6901)", () => {
    expect(jsonPointerSegment("pullwarden.io/image-pull-secrets")).toBe("pullwarden.io~1image-pull-secrets");
    expect(jsonPointer(["metadata", "annotations", "a/b~c", 0])).toBe("/metadata/annotations/a~1b~0c/0");
    expect(parseJsonPointer("/metadata/annotations/a~1b~0c/0")).toEqual([
      "metadata",
      "annotations",
      "a/b~c",
      "0",
    ]);
    expect(parseJsonPointer("")).toEqual([]);
    expect(parseJsonPointer("/~01")).toEqual(["~1"]);
  });
});
