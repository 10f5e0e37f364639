import { statusGroup } from "../runtime-messages.js";
import type { CauseDefinition } from "./definition.js";
import { CREDENTIAL_CHECKS, SECRET_CHECKS } from "./shared/checks.js";
import { addPullSecretCommands, fix } from "./shared/fixes.js";

export const cause: CauseDefinition<"registry-unauthorized"> = {
  id: "registry-unauthorized",
  title: "The registry answered 401 Unauthorized (credentials missing or rejected)",
  category: "authorization",
  checks: [...SECRET_CHECKS, ...CREDENTIAL_CHECKS],
  authentication: true,
  message: { score: 0.58 },
  wordings: [
    {
      id: "acr-authentication-required",
      priority: 5070,
      re: /unauthorized: authentication required, visit https:\/\/aka\.ms\/acr\/authorization/,
      meaning:
        "Azure Container Registry answered 401: no credential, or a wrong or expired service principal, token or admin password",
      alternatives: ["registry-requires-auth", "credential-rejected"],
    },
    {
      id: "containerd-status-401",
      priority: 5090,
      runtime: "containerd-1.7+",
      re: /unexpected status from (?:HEAD|GET) request to \S+: 401 Unauthorized/,
      meaning: "the registry answered 401 to the manifest request: credentials missing or rejected",
      alternatives: ["registry-requires-auth", "credential-rejected"],
      status: () => 401,
    },
    {
      id: "containerd-1.6-host-status",
      priority: 5100,
      runtime: "containerd-1.6",
      re: /pulling from host (\S+) failed with status code \[manifests ([^\]\n]*)\]: (\d{3})/,
      meaning: "the registry refused the manifest request (containerd 1.6 wording)",
      alternatives: ["registry-requires-auth", "credential-rejected"],
      status: statusGroup(3),
      causeFor: (m) =>
        m[3] === "403"
          ? "registry-access-denied"
          : m[3] === "404"
            ? "image-not-found"
            : "registry-unauthorized",
      details: (m) => ({ host: m[1], reference: m[2] }),
    },
    {
      id: "registry-unauthorized",
      priority: 5120,
      re: /unauthorized: (?:authentication required|access to the requested resource is not authorized)|401 Unauthorized|\bunauthorized: [^\n]*|(?:^|: )unauthorized\s*$/m,
      meaning: "the registry answered 401 (UNAUTHORIZED): credentials missing or rejected",
      alternatives: ["registry-requires-auth", "credential-rejected"],
    },
  ],
  fix: (fc) =>
    fix(
      "The registry answered 401: either no credential matched the image's host, or the credential was rejected. Check that a pull secret keyed for this host exists in the Pod's namespace and that its token is valid; recreate it with a fresh token.",
      addPullSecretCommands(fc),
    ),
};
