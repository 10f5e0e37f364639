import type { CauseDefinition } from "./definition.js";
import { fix, imageArg } from "./shared/fixes.js";

export const cause: CauseDefinition<"blob-missing"> = {
  id: "blob-missing",
  title: "The manifest exists but one of its layers is missing from the registry",
  category: "image",
  checks: ["with --probe: the manifest and its blobs"],
  message: { score: 0.88 },
  wordings: [
    {
      id: "containerd-blob-not-found",
      priority: 4030,
      runtime: "containerd",
      re: /could not fetch content descriptor (sha256:[0-9a-f]+)[^\n]*?from remote: not found|httpReadSeeker: failed open: content at \S+ not found/,
      meaning:
        "the manifest was found but a layer or config blob is missing from the registry (a broken push)",
      details: (m) => ({ blob: m[1] }),
    },
    {
      id: "registry-blob-unknown",
      priority: 4040,
      re: /blob unknown to registry|\bBLOB_UNKNOWN\b/,
      meaning:
        "the manifest was found but a layer or config blob is missing from the registry (a broken push)",
    },
  ],
  fix: (fc) =>
    fix(
      "A layer of the manifest is missing from the registry (an interrupted push or a cleaned-up blob). Push the image again.",
      [`docker buildx imagetools inspect ${imageArg(fc)}`, "docker push <image>"],
    ),
};
