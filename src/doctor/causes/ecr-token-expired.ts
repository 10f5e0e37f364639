import { createSecretCommand, nsFlag } from "../fix-commands.js";
import type { Fix } from "../model.js";
import { candidate } from "../model.js";
import type { CauseDefinition, FixContext } from "./definition.js";
import { GENERIC_AUTH_CAUSES } from "./ids.js";
import { CREDENTIAL_CHECKS } from "./shared/checks.js";
import { firstPodSecret, fix, hostOf, ns } from "./shared/fixes.js";
import { authWeight, badCredentials, imagesWithKnownCredentials } from "./shared/pull-secrets.js";
import { shQuote } from "../../text/index.js";

function ecrFix(fc: FixContext): Fix {
  const namespace = ns(fc);
  const region = fc.image?.registry?.kind === "ecr" ? fc.image.registry.region : "<region>";
  return fix(
    "ECR tokens live 12 hours; a token stored in a static Secret stops working. Refresh the Secret now, then stop storing tokens: use the ECR credential provider with node IAM (EKS does this by default) or a controller that rotates the Secret.",
    [
      fc.image?.registry?.kind === "ecr"
        ? createSecretCommand(firstPodSecret(fc) ?? "ecr-pull", namespace, hostOf(fc), fc.image.registry)
        : `aws ecr get-login-password --region ${region} | pullwarden secret create ${shQuote(firstPodSecret(fc) ?? "ecr-pull")} ${nsFlag(namespace)} --docker-server=<account>.dkr.ecr.${region}.amazonaws.com --docker-username=AWS --docker-password-stdin --dry-run=client -o yaml | kubectl apply -f -`,
    ],
  );
}

export const cause: CauseDefinition<"ecr-token-expired"> = {
  id: "ecr-token-expired",
  title: "An ECR token stored in a static pull secret has expired",
  category: "credential",
  checks: CREDENTIAL_CHECKS,
  authentication: true,
  message: {
    score: 0.92,
    explains: ["registry-access-denied", "registry-unauthorized", "credential-rejected"],
    registries: ["ecr"],
  },
  wordings: [
    {
      id: "ecr-token-expired",
      priority: 2000,
      re: /Your authorization token has expired/i,
      meaning: "Amazon ECR refused an expired authorization token (ECR tokens live 12 hours)",
    },
  ],
  fix: ecrFix,
  // A credential kubelet would try is an ECR token past its expiration (other expired ones: credential-expired).
  detect(ctx) {
    return imagesWithKnownCredentials(ctx).flatMap((image) =>
      badCredentials(image)
        .filter(
          ({ match }) =>
            match.entry.credential?.acceptance.verdict === "expired" &&
            match.entry.credential.token.kind === "ecr-token",
        )
        .map(({ match, lines, share }) =>
          candidate("ecr-token-expired", 0.96 * Math.max(authWeight(image.auth), 0.8) * share, {
            image: image.image,
            containers: image.containers.map((c) => c.name),
            secrets: [match.secret.name],
            title: `The ECR token in ${match.secret.name} expired`,
            evidence: [...lines, match.entry.credential?.acceptance.reason ?? ""],
            fix: ecrFix({ ctx, image }),
            explains: [...GENERIC_AUTH_CAUSES, "ecr-token-expired", "credential-expired"],
          }),
        ),
    );
  },
};
