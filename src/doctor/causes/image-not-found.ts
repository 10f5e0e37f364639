import type { Fix } from "../model.js";
import type { CauseDefinition, FixContext } from "./definition.js";
import { fix, imageArg } from "./shared/fixes.js";
import { probeCandidate } from "./shared/probes.js";
import { shQuote } from "../../text/index.js";

function notFoundFix(fc: FixContext): Fix {
  return fix(
    "Check the repository path and the tag or digest: the registry has no such manifest (or hides a repository the credential may not see). List the tags, push the missing one, or fix the image string.",
    [
      `pullwarden check ${imageArg(fc)}`,
      fc.image?.ref
        ? `skopeo list-tags docker://${shQuote(`${fc.image.ref.domain}/${fc.image.ref.path}`)}`
        : "skopeo list-tags docker://<repository>",
    ],
  );
}

export const cause: CauseDefinition<"image-not-found"> = {
  id: "image-not-found",
  title: "The repository or tag does not exist",
  category: "image",
  checks: [
    "with --probe: manifest and tag requests with the Pod's credentials (a 404 with a valid credential is a real not-found)",
  ],
  message: { score: 0.7 },
  wordings: [
    {
      id: "containerd-reference-not-found",
      priority: 6000,
      runtime: "containerd",
      re: /failed to resolve reference "([^"\n]*)": [^\s"]*: not found/,
      meaning:
        "the registry has no manifest for this tag or digest (some registries also answer 404 to callers without access)",
      alternatives: ["registry-access-denied"],
    },
    {
      id: "crio-reading-manifest-unknown",
      priority: 6010,
      runtime: "cri-o",
      re: /reading manifest (\S+) in (\S+): manifest unknown/i,
      meaning: "the registry has no manifest for this tag (MANIFEST_UNKNOWN)",
      details: (m) => ({ what: "tag", reference: m[1], repository: m[2] }),
    },
    {
      id: "docker-manifest-not-found",
      priority: 6020,
      runtime: "dockershim",
      re: /manifest for (\S+) not found/,
      meaning: "the registry has no manifest for this tag",
      details: () => ({ what: "tag" }),
    },
    {
      id: "registry-name-unknown",
      priority: 6030,
      re: /name unknown|repository name not known to registry|\bNAME_UNKNOWN\b/,
      meaning: "the registry has no such repository (NAME_UNKNOWN)",
      details: () => ({ what: "repository" }),
    },
    {
      id: "registry-manifest-unknown",
      priority: 6040,
      re: /manifest unknown|\bMANIFEST_UNKNOWN\b/,
      meaning: "the registry has no manifest for this tag or digest (MANIFEST_UNKNOWN)",
      details: () => ({ what: "tag" }),
    },
    {
      // A bare 404, after the rate limits and server errors (7000).
      id: "registry-404",
      priority: 7020,
      re: /404 Not Found|: not found$/m,
      meaning: "the registry answered 404: no such repository or tag",
      alternatives: ["registry-access-denied"],
    },
  ],
  fix: notFoundFix,
  // Some registries answer 404 to callers without access: a blurred answer is weaker.
  probe(ctx, image, probe) {
    const { result } = probe;
    if (result.outcome !== "not-found") return undefined;
    return probeCandidate(
      "image-not-found",
      notFoundFix,
      { ctx, image, probe },
      result.blurred ? 0.7 : 0.92,
      [`what is missing: ${result.what}`],
      ["registry-access-denied", "registry-unauthorized", "image-pull-failed"],
    );
  },
};
