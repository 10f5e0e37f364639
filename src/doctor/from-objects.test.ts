// kubeletHasNotReported: what "kubelet has not reported yet" looks like on a real API server.
import { describe, expect, it } from "vitest";
import { kubeletHasNotReported } from "./from-objects.js";

describe("kubeletHasNotReported", () => {
  it.each([
    ["no status", {}, true],
    [
      "what the API server writes at creation",
      { status: { phase: "Pending", qosClass: "BestEffort" } },
      true,
    ],
    [
      "scheduled, with conditions",
      { status: { phase: "Pending", conditions: [{ type: "PodScheduled" }] } },
      false,
    ],
    ["kubelet started it", { status: { phase: "Pending", startTime: "2026-06-01T00:00:00Z" } }, false],
    ["container statuses", { status: { containerStatuses: [{ name: "app" }] } }, false],
  ])("%s → %s", (_what, pod, expected) => {
    expect(kubeletHasNotReported(pod)).toBe(expected);
  });
});
