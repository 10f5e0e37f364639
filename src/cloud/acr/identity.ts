/**
 * Which Azure identity mints the Entra ID token, as a caller names it. Pure: what each choice means, how it is
 * described in messages (never a secret) and which environment variables fill in what it leaves out, as
 * @azure/identity's own credentials read them.
 */

/** An identity to use, or `chain` (the default): the first that is available of workload identity, managed identity and the Azure CLI. */
export type AzureIdentity =
  | { readonly kind: "chain" }
  /**
   * The instance metadata service (IMDS) of a VM, VM scale set or AKS node: system-assigned when no id is
   * given, else the user-assigned identity with that client id, resource id or object id.
   */
  | {
      readonly kind: "managed-identity";
      readonly clientId?: string;
      readonly resourceId?: string;
      readonly objectId?: string;
    }
  /**
   * Workload identity federation with a projected ServiceAccount token file (AKS workload identity); each
   * field defaults to AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_FEDERATED_TOKEN_FILE.
   */
  | {
      readonly kind: "workload-identity";
      readonly clientId?: string;
      readonly tenantId?: string;
      readonly tokenFile?: string;
    }
  /**
   * Workload identity federation with a token given as a value: the kubelet credential provider's
   * ServiceAccount-token mode (KEP-4412), where kubelet hands the Pod's token to the plugin.
   */
  | {
      readonly kind: "federated-token";
      readonly clientId: string;
      readonly tenantId: string;
      readonly token: string;
    }
  /**
   * The account `az login` signed in (a laptop). @azure/identity runs `az account get-access-token` to get it:
   * this link spawns the Azure CLI by the SDK's design.
   */
  | { readonly kind: "azure-cli"; readonly tenantId?: string };

type Env = Readonly<Record<string, string | undefined>>;

/** A non-empty environment value. */
export function envValue(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

/** The workload identity a `workload-identity` choice resolves to with the environment, and what is missing. */
export function workloadIdentitySettings(
  choice: Extract<AzureIdentity, { kind: "workload-identity" }>,
  env: Env,
): { clientId?: string; tenantId?: string; tokenFile?: string; missing: string[] } {
  const clientId = choice.clientId ?? envValue(env, "AZURE_CLIENT_ID");
  const tenantId = choice.tenantId ?? envValue(env, "AZURE_TENANT_ID");
  const tokenFile = choice.tokenFile ?? envValue(env, "AZURE_FEDERATED_TOKEN_FILE");
  const missing = [
    ...(tokenFile === undefined ? ["AZURE_FEDERATED_TOKEN_FILE"] : []),
    ...(clientId === undefined ? ["AZURE_CLIENT_ID"] : []),
    ...(tenantId === undefined ? ["AZURE_TENANT_ID"] : []),
  ];
  return {
    ...(clientId !== undefined ? { clientId } : {}),
    ...(tenantId !== undefined ? { tenantId } : {}),
    ...(tokenFile !== undefined ? { tokenFile } : {}),
    missing,
  };
}

/** How an identity is named in messages: what it is and its ids, never a token. */
export function describeIdentity(choice: Exclude<AzureIdentity, { kind: "chain" }>, env: Env): string {
  switch (choice.kind) {
    case "managed-identity":
      if (choice.clientId) return `managed identity (user-assigned, client id ${choice.clientId})`;
      if (choice.resourceId) return `managed identity (user-assigned, resource id ${choice.resourceId})`;
      if (choice.objectId) return `managed identity (user-assigned, object id ${choice.objectId})`;
      return "managed identity (system-assigned)";
    case "workload-identity": {
      const s = workloadIdentitySettings(choice, env);
      return `workload identity (client id ${s.clientId ?? "?"}, tenant ${s.tenantId ?? "?"}, token file ${s.tokenFile ?? "?"})`;
    }
    case "federated-token":
      return `workload identity with a ServiceAccount token (client id ${choice.clientId}, tenant ${choice.tenantId})`;
    case "azure-cli":
      return `the Azure CLI's signed-in account${choice.tenantId ? ` (tenant ${choice.tenantId})` : ""}`;
  }
}

/** The ids an Entra ID access token names (decoded claims, never the token), for messages and fix commands. */
export interface TokenSubject {
  readonly tenantId?: string;
  /** The application (client) id: `appid` (v1 tokens) or `azp` (v2). */
  readonly clientId?: string;
  readonly objectId?: string;
  /** A user's sign-in name (`upn`, `unique_name`). */
  readonly userName?: string;
}

function claimString(claims: Record<string, unknown>, name: string): string | undefined {
  const value = claims[name];
  return typeof value === "string" && /^[\w.@:/-]{1,200}$/.test(value) ? value : undefined;
}

/** The ids in an Entra ID token's claims; anything that is not a plain id is left out. */
export function tokenSubject(claims: Record<string, unknown> | undefined): TokenSubject {
  if (!claims) return {};
  const tenantId = claimString(claims, "tid");
  const clientId = claimString(claims, "appid") ?? claimString(claims, "azp");
  const objectId = claimString(claims, "oid");
  const userName = claimString(claims, "upn") ?? claimString(claims, "unique_name");
  return {
    ...(tenantId ? { tenantId } : {}),
    ...(clientId ? { clientId } : {}),
    ...(objectId ? { objectId } : {}),
    ...(userName ? { userName } : {}),
  };
}

/**
 * What `az role assignment create --assignee` takes for the identity: its client id (a service principal or
 * managed identity), else a user's sign-in name, else the object id.
 */
export function assigneeFor(
  choice: Exclude<AzureIdentity, { kind: "chain" }>,
  subject: TokenSubject,
): string | undefined {
  if (choice.kind === "managed-identity" && choice.clientId) return choice.clientId;
  if (choice.kind === "federated-token") return choice.clientId;
  if (choice.kind === "azure-cli") return subject.userName ?? subject.objectId ?? subject.clientId;
  return subject.clientId ?? subject.objectId;
}
