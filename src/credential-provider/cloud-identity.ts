/**
 * Which identity mints an ECR or ACR credential for a request: the node's own (instance profile, managed
 * identity, whatever the SDK's default chain finds), or, in KEP-4412's ServiceAccount-token mode, the Pod's
 * ServiceAccount token exchanged for the identity its annotations name. The annotation keys are the cloud
 * providers' own, so a kubelet config written for ecr-credential-provider or acr-credential-provider works as is:
 *
 * - ECR (cloud-provider-aws `cmd/ecr-credential-provider/main.go`): the role from `eks.amazonaws.com/ecr-role-arn`,
 *   else `AWS_ECR_ROLE_ARN`; with neither, the node's credentials (cloud-provider-aws#1281, after #1280).
 * - ACR (cloud-provider-azure `pkg/credentialprovider/azure_credentials.go`): the client and tenant ids from
 *   `kubernetes.azure.com/acr-client-id` and `kubernetes.azure.com/acr-tenant-id`, both required.
 *
 * Pure.
 */
import { InputError } from "../errors.js";
import type { EcrHostInfo } from "../hosts/index.js";

export const ECR_ROLE_ANNOTATION = "eks.amazonaws.com/ecr-role-arn";
export const ECR_ROLE_ENV = "AWS_ECR_ROLE_ARN";
export const ACR_CLIENT_ID_ANNOTATION = "kubernetes.azure.com/acr-client-id";
export const ACR_TENANT_ID_ANNOTATION = "kubernetes.azure.com/acr-tenant-id";

export type EcrIdentity =
  | { readonly mode: "node" }
  /** STS AssumeRoleWithWebIdentity with the ServiceAccount token. */
  | {
      readonly mode: "web-identity";
      readonly roleArn: string;
      readonly roleFrom: string;
      readonly token: string;
    };

export type AcrIdentity =
  | { readonly mode: "node" }
  /** Entra client assertion: the ServiceAccount token as a federated credential of the app registration. */
  | {
      readonly mode: "federated";
      readonly clientId: string;
      readonly tenantId: string;
      readonly token: string;
    };

export interface EcrCredentialInput {
  readonly host: EcrHostInfo;
  readonly identity: EcrIdentity;
}

export interface AcrCredentialInput {
  /** The login server (`host[:port]`), as the image names it. */
  readonly server: string;
  /** A custom domain of an ACR in Azure's public cloud (`--acr-login-server`), not `*.azurecr.*`. */
  readonly customDomain: boolean;
  readonly identity: AcrIdentity;
}

interface SaRequest {
  readonly serviceAccountToken?: string;
  readonly serviceAccountAnnotations?: Readonly<Record<string, string>>;
}

/** The identity for an ECR request; a Pod's token without a role falls back to the node, as upstream does. */
export function ecrIdentity(
  request: SaRequest,
  env: Readonly<Record<string, string | undefined>>,
): EcrIdentity {
  const token = request.serviceAccountToken;
  if (token === undefined) return { mode: "node" };
  const annotated = request.serviceAccountAnnotations?.[ECR_ROLE_ANNOTATION];
  if (annotated)
    return { mode: "web-identity", roleArn: annotated, roleFrom: `annotation ${ECR_ROLE_ANNOTATION}`, token };
  const fromEnv = env[ECR_ROLE_ENV];
  if (fromEnv)
    return {
      mode: "web-identity",
      roleArn: fromEnv,
      roleFrom: `environment variable ${ECR_ROLE_ENV}`,
      token,
    };
  return { mode: "node" };
}

/** The identity for an ACR request; a Pod's token needs both annotations (as acr-credential-provider requires). */
export function acrIdentity(request: SaRequest): AcrIdentity {
  const token = request.serviceAccountToken;
  if (token === undefined) return { mode: "node" };
  const annotations = request.serviceAccountAnnotations ?? {};
  const clientId = annotations[ACR_CLIENT_ID_ANNOTATION];
  const tenantId = annotations[ACR_TENANT_ID_ANNOTATION];
  const missing = [
    ...(clientId ? [] : [ACR_CLIENT_ID_ANNOTATION]),
    ...(tenantId ? [] : [ACR_TENANT_ID_ANNOTATION]),
  ];
  if (missing.length > 0 || !clientId || !tenantId) {
    throw new InputError(
      "E_PROVIDER_SA_ANNOTATION",
      `the Pod's ServiceAccount token came without annotation ${missing.join(" and ")}, which name the Entra app it is exchanged for`,
      {
        hint: `annotate the ServiceAccount and list both keys in tokenAttributes.requiredServiceAccountAnnotationKeys of the provider's config (then kubelet skips Pods without them)`,
      },
    );
  }
  return { mode: "federated", clientId, tenantId, token };
}
