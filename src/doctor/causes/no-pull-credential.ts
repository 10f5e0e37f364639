import type { DiagnosisContext, ImageContext } from "../context.js";
import { createSecretCommand } from "../fix-commands.js";
import type { Candidate } from "../model.js";
import { candidate } from "../model.js";
import type { CauseDefinition } from "./definition.js";
import { GENERIC_AUTH_CAUSES } from "./ids.js";
import { SECRET_CHECKS } from "./shared/checks.js";
import { addPullSecretCommands, anonymousPullFix } from "./shared/fixes.js";
import { authWeight, badCredentials, imagesWithKnownCredentials } from "./shared/pull-secrets.js";

/** No Secret of the Pod has a usable entry (broken or missing ones have causes of their own). */
function noCredentialAtAll(ctx: DiagnosisContext, image: ImageContext): Candidate[] {
  const secrets = ctx.podSecrets ?? [];
  if (secrets.some((s) => s.state !== "found" || s.docker?.kubelet !== "uses")) return [];
  if (secrets.some((s) => (s.docker?.entries.length ?? 0) > 0)) return []; // pull-secret-host-mismatch
  const sa = ctx.evidence.serviceAccount;
  const provider = ctx.evidence.node?.provider;
  if (
    (image.registry?.kind === "acr" && provider === "aks") ||
    (image.registry?.kind === "ecr" && (provider === "eks" || provider === "eks-fargate"))
  ) {
    return []; // the node's identity is the pull path: aks-node-missing-acrpull, eks-node-role-missing-ecr-pull
  }
  if (image.registry?.kind === "ecr-public") return [];
  // Docker Hub's official images are public: a credential would only raise the rate limit.
  if (image.registry?.kind === "dockerhub" && image.ref?.path.startsWith("library/")) return [];
  return [
    candidate("no-pull-credential", 0.86 * authWeight(image.auth), {
      image: image.image,
      containers: image.containers.map((c) => c.name),
      title: `The Pod has no credential for ${image.host ?? "the image's registry"}`,
      evidence: [
        ctx.evidence.pod.imagePullSecrets && ctx.evidence.pod.imagePullSecrets.length > 0
          ? `none of the Pod's imagePullSecrets holds a usable docker config`
          : `Pod ${ctx.evidence.pod.namespace}/${ctx.evidence.pod.name} has no imagePullSecrets`,
        ...(sa && sa.imagePullSecrets.length === 0
          ? [`ServiceAccount ${sa.name} has no imagePullSecrets either`]
          : []),
        ...(provider
          ? [
              `node provider: ${provider} (no kubelet credential provider is known to serve ${image.host ?? "this registry"})`,
            ]
          : []),
      ],
      fix: {
        explanation: `Create a pull secret for ${image.host ?? "the registry"} and reference it from the workload (or from its ServiceAccount, then recreate the Pods).`,
        commands: addPullSecretCommands({ ctx, image }),
      },
      explains: GENERIC_AUTH_CAUSES,
    }),
  ];
}

export const cause: CauseDefinition<"no-pull-credential"> = {
  id: "no-pull-credential",
  title: "The Pod has no credential for a registry that requires one",
  category: "pull-secret",
  checks: [
    ...SECRET_CHECKS,
    "the ServiceAccount's imagePullSecrets and the node's provider (kubelet credential providers)",
  ],
  authentication: true,
  fix: anonymousPullFix,
  detect(ctx) {
    return imagesWithKnownCredentials(ctx).flatMap((image) => {
      if (image.matches.length === 0) return noCredentialAtAll(ctx, image);
      // A matching entry without auth, username or password: kubelet sends empty credentials.
      return badCredentials(image)
        .filter((bad) => bad.match.entry.credential === undefined)
        .map(({ match, lines, share }) =>
          candidate("no-pull-credential", 0.8 * authWeight(image.auth) * share, {
            image: image.image,
            containers: image.containers.map((c) => c.name),
            secrets: [match.secret.name],
            title: `The matching entry of ${match.secret.name} carries no credential`,
            evidence: [
              ...lines,
              "the entry has no auth, username or password: kubelet sends empty credentials",
            ],
            fix: {
              explanation: "Recreate the entry with a username and token.",
              commands: [
                createSecretCommand(match.secret.name, match.secret.namespace, image.host, image.registry),
              ],
            },
            explains: GENERIC_AUTH_CAUSES,
          }),
        );
    });
  },
};
