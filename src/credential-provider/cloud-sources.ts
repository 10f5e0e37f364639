/**
 * The ECR and ACR sources the plugin uses: src/cloud/ecr's `mintEcrCredential` (the AWS SDK's default chain, or
 * STS AssumeRoleWithWebIdentity with the Pod's ServiceAccount token) and src/cloud/acr's `mintAcrCredential`
 * (the Azure identity chain, or the token as a federated credential; then ACR's /oauth2/exchange). Loaded with a
 * dynamic import from serve's port only when an ECR or ACR image is asked for, so a static answer never loads an
 * SDK; each SDK loads inside its mint function.
 */
import type { CloudSources } from "./serve.js";

/** Inside serve's own deadline (45 s), so the source's error, which names the identity, is what kubelet logs. */
const SOURCE_DEADLINE_MS = 40_000;

export function sdkCloudSources(
  env: Readonly<Record<string, string | undefined>>,
  now: () => Date,
): CloudSources {
  return {
    ecr: async ({ host, identity }) => {
      const { mintEcrCredential } = await import("../cloud/ecr/index.js");
      const credential = await mintEcrCredential({
        server: host.host,
        ...(identity.mode === "web-identity"
          ? { auth: { kind: "web-identity", token: identity.token, roleArn: identity.roleArn } }
          : {}),
        deadlineMs: SOURCE_DEADLINE_MS,
        env,
      });
      return {
        username: credential.username,
        password: credential.password,
        ...(credential.expiresAt ? { expiresAt: credential.expiresAt } : {}),
      };
    },
    acr: async ({ server, customDomain, identity }) => {
      const { mintAcrCredential } = await import("../cloud/acr/index.js");
      const credential = await mintAcrCredential({
        server,
        // A custom domain does not name its Azure cloud: --acr-login-server serves ACRs of the public cloud.
        ...(customDomain ? { cloud: "public" as const } : {}),
        ...(identity.mode === "federated"
          ? {
              identity: {
                kind: "federated-token",
                clientId: identity.clientId,
                tenantId: identity.tenantId,
                token: identity.token,
              },
            }
          : {}),
        env,
        now,
      });
      return {
        username: credential.username,
        password: credential.password,
        ...(credential.expiresAt ? { expiresAt: credential.expiresAt } : {}),
      };
    },
  };
}
