import { formatPlatform } from "../../registry/index.js";
import type { DiagnosisContext } from "../context.js";
import { nsFlag, workloadOf } from "../fix-commands.js";
import type { Fix } from "../model.js";
import type { CauseDefinition, FixContext } from "./definition.js";
import { fix, imageArg } from "./shared/fixes.js";
import { probeCandidate } from "./shared/probes.js";
import { shQuote } from "../../text/index.js";

function platformFix(fc: FixContext): Fix {
  const node = fc.ctx.evidence.node;
  const arch = node?.architecture;
  return fix(
    `The image index has no manifest for the node's platform${arch ? ` (${node?.os ?? "linux"}/${arch})` : ""}. Publish the image for that platform, or schedule the Pod on nodes of a platform the image has.`,
    [
      `docker buildx imagetools inspect ${imageArg(fc)}`,
      "docker buildx build --platform linux/amd64,linux/arm64 -t <image> --push .",
    ],
  );
}

/** The node's platform, for the evidence. */
function nodePlatformLine(ctx: DiagnosisContext): string | undefined {
  const node = ctx.evidence.node;
  if (!node?.architecture) return undefined;
  return `node ${node.name} is ${[node.os ?? "linux", node.architecture, node.variant].filter(Boolean).join("/")}`;
}

/** Pins the workload to nodes of `arch` (the other common architecture), when its Pod template can be patched. */
function nodeSelectorCommand(ctx: DiagnosisContext, arch: string): string | undefined {
  const workload = workloadOf(ctx.evidence.pod, ctx.evidence.source);
  if (workload.barePod || workload.podSpecPath !== "/spec/template/spec") return undefined;
  const patch = JSON.stringify({
    spec: { template: { spec: { nodeSelector: { "kubernetes.io/arch": arch } } } },
  });
  return `kubectl ${nsFlag(ctx.evidence.pod.namespace || undefined)} patch ${workload.ref} -p ${shQuote(patch)}`;
}

export const cause: CauseDefinition<"platform-not-available"> = {
  id: "platform-not-available",
  title: "The image has no variant for the node's platform",
  category: "image",
  checks: ["the node's OS and architecture", "with --probe: the platforms listed in the image index"],
  message: { score: 0.92 },
  wordings: [
    {
      id: "containerd-no-match-for-platform",
      priority: 4000,
      runtime: "containerd",
      re: /no match for platform in manifest/,
      meaning: "the image index has no manifest for the node's OS and architecture",
    },
    {
      id: "crio-no-image-for-architecture",
      priority: 4010,
      runtime: "cri-o",
      re: /no image found in (?:manifest list|image index) for architecture "?([^",\s]*)"?, variant "?([^",\s]*)"?, OS "?([^",\s]*)"?/,
      meaning: "the image index has no manifest for the node's OS and architecture",
      details: (m) => ({ platform: [m[3], m[1], m[2]].filter((p) => p).join("/") }),
    },
    {
      id: "docker-no-matching-manifest",
      priority: 4020,
      runtime: "dockershim",
      re: /no matching manifest for (\S+) in the manifest list entries/,
      meaning: "the image index has no manifest for the node's OS and architecture",
      details: (m) => ({ platform: m[1] }),
    },
  ],
  fix: platformFix,
  probe(ctx, image, probe) {
    const { result } = probe;
    if (result.outcome !== "platform-missing") return undefined;
    const node = ctx.evidence.node;
    return probeCandidate(
      "platform-not-available",
      platformFix,
      { ctx, image, probe },
      0.95,
      [
        `the image is published for: ${result.available.map(formatPlatform).join(", ") || "(none listed)"}`,
        ...(node?.architecture ? [`node ${node.name} is ${node.os ?? "linux"}/${node.architecture}`] : []),
      ],
      ["image-pull-failed", "image-not-found"],
    );
  },
  // The node's platform, and pinning the workload to the other common architecture.
  annotate(ctx) {
    const platform = nodePlatformLine(ctx);
    const arch = ctx.evidence.node?.architecture;
    const other = arch === "arm64" ? "amd64" : arch === "amd64" ? "arm64" : undefined;
    const selector = other ? nodeSelectorCommand(ctx, other) : undefined;
    return { evidence: platform ? [platform] : [], commands: selector ? [selector] : [] };
  },
};
