// A cluster as `pullwarden status` reads it, with every state the view distinguishes: credentials serving,
// rejected by the registry and expiring, expired, never reported on; bindings whose namespaces are in sync,
// outdated, in conflict, unbound, held, absent or terminating; Secrets of the controller, of `apply` and of
// someone else. The Secrets are built as the API server sends them (base64 values holding CANARY) and reduced
// by secretFacts, as the CLI edge does, so a test can assert the canary never reaches any output.
import { secretFacts } from "../../src/controller/status-view-secrets.js";
import type { StatusInputs } from "../../src/controller/status-view.js";
import type { Condition } from "../../src/desired/index.js";
import type { SecretObject } from "../../src/kube-model/index.js";

export const CANARY = "CANARY-status-0b7e1c9d";
export const STATUS_NOW = new Date("2026-06-01T12:00:00Z");
export const ECR_HOST = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

const b64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");

function dockerSecret(
  namespace: string,
  name: string,
  hosts: readonly string[],
  writer: "controller" | "apply" | undefined,
): SecretObject {
  const auths = Object.fromEntries(
    hosts.map((host) => [host, { username: "u", password: CANARY, auth: b64(`u:${CANARY}`) }]),
  );
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      namespace,
      name,
      ...(writer
        ? {
            labels: {
              "app.kubernetes.io/managed-by": "pullwarden",
              ...(writer === "controller" ? { "pullwarden.io/writer": "controller" } : {}),
            },
          }
        : {}),
    },
    type: "kubernetes.io/dockerconfigjson",
    data: { ".dockerconfigjson": b64(JSON.stringify({ auths })) },
  };
}

const condition = (
  type: string,
  status: Condition["status"],
  reason: string,
  since: string,
  message = "",
): Condition => ({ type, status, reason, message, lastTransitionTime: since, observedGeneration: 1 });

const meta = (name: string) => ({ name, generation: 1 });

export function statusFixture(): StatusInputs {
  const secrets: SecretObject[] = [
    dockerSecret("team-a", "pull-creds", ["ghcr.io", ECR_HOST], "controller"),
    dockerSecret("team-b", "pull-creds", ["ghcr.io"], "controller"),
    dockerSecret("team-c", "pull-creds", ["ghcr.io"], undefined),
    dockerSecret("legacy", "pull-creds", ["ghcr.io", ECR_HOST], "controller"),
    dockerSecret("monitoring", "regcred", ["https://ghcr.io"], "apply"),
    dockerSecret("kube-system", "acr-login", ["contoso.azurecr.io"], undefined),
    // Not a docker config: ignored.
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { namespace: "team-a", name: "tls" },
      type: "Opaque",
      data: { k: b64(CANARY) },
    },
  ];
  return {
    now: STATUS_NOW,
    credentials: [
      {
        apiVersion: "pullwarden.io/v1alpha1",
        kind: "ClusterPullCredential",
        metadata: meta("ghcr"),
        spec: { source: { static: { secretRef: { name: "ghcr-login" } } } },
        status: {
          observedGeneration: 1,
          conditions: [
            condition("Ready", "True", "Serving", "2026-06-01T09:00:00Z", "serving 1 registry: ghcr.io"),
            condition(
              "Verified",
              "True",
              "RegistryAccepted",
              "2026-06-01T09:00:00Z",
              "the registry accepted sha256:1a2b",
            ),
            condition("ExpiringSoon", "False", "NotExpiring", "2026-06-01T09:00:00Z"),
          ],
          registries: ["ghcr.io"],
          lastRefreshTime: "2026-06-01T09:00:00Z",
          fingerprint: "sha256:1a2b3c4d5e6f",
        },
      },
      {
        apiVersion: "pullwarden.io/v1alpha1",
        kind: "ClusterPullCredential",
        metadata: meta("ecr-prod"),
        spec: { source: { ecr: { registry: ECR_HOST } } },
        status: {
          observedGeneration: 1,
          conditions: [
            condition("Ready", "True", "Serving", "2026-06-01T02:00:00Z", `serving 1 registry: ${ECR_HOST}`),
            condition(
              "Verified",
              "False",
              "RegistryRejected",
              "2026-06-01T11:30:00Z",
              `${ECR_HOST} answered 401 to the candidate sha256:9f8e`,
            ),
            condition(
              "ExpiringSoon",
              "True",
              "RefreshFailing",
              "2026-06-01T11:40:00Z",
              "the served credential expires 2026-06-01T14:00:00Z and has not been refreshed",
            ),
          ],
          registries: [ECR_HOST],
          expiresAt: "2026-06-01T14:00:00Z",
          lastRefreshTime: "2026-06-01T02:00:00Z",
          nextRefreshTime: "2026-06-01T12:05:00Z",
          fingerprint: "sha256:77aa88bb99cc",
        },
      },
      {
        apiVersion: "pullwarden.io/v1alpha1",
        kind: "ClusterPullCredential",
        metadata: meta("acr-old"),
        spec: { source: { acr: { registry: "contoso.azurecr.io" } } },
        status: {
          observedGeneration: 1,
          conditions: [
            condition(
              "Ready",
              "False",
              "Expired",
              "2026-06-01T11:00:00Z",
              "the served credential expired and no new one could be obtained: Entra ID unreachable",
            ),
            condition(
              "Verified",
              "True",
              "RegistryAccepted",
              "2026-06-01T08:00:00Z",
              "the registry accepted sha256:5566",
            ),
            condition(
              "ExpiringSoon",
              "True",
              "RefreshFailing",
              "2026-06-01T10:15:00Z",
              "the served credential expires 2026-06-01T11:00:00Z and has not been refreshed",
            ),
          ],
          registries: ["contoso.azurecr.io"],
          expiresAt: "2026-06-01T11:00:00Z",
          lastRefreshTime: "2026-06-01T08:00:00Z",
          nextRefreshTime: "2026-06-01T12:01:00Z",
          fingerprint: "sha256:556677889900",
        },
      },
      {
        apiVersion: "pullwarden.io/v1alpha1",
        kind: "ClusterPullCredential",
        metadata: meta("new-acr"),
        spec: { source: { acr: { registry: "fabrikam.azurecr.io" } } },
      },
    ],
    bindings: [
      {
        apiVersion: "pullwarden.io/v1alpha1",
        kind: "ClusterPullSecretBinding",
        metadata: meta("apps"),
        spec: {
          credentials: ["ghcr", "ecr-prod"],
          secretName: "pull-creds",
          namespaces: { names: ["legacy", "gone", "old-ns"], selector: { matchLabels: { team: "apps" } } },
          serviceAccounts: ["default"],
        },
        status: {
          observedGeneration: 1,
          conditions: [
            condition(
              "Ready",
              "False",
              "SecretConflict",
              "2026-06-01T10:00:00Z",
              "a Secret named pull-creds that pullwarden does not own exists in 1 namespace (left as is): team-c",
            ),
          ],
          namespaces: 4,
          secretsInSync: 3,
          conflicts: ["team-c"],
        },
      },
      {
        apiVersion: "pullwarden.io/v1alpha1",
        kind: "ClusterPullSecretBinding",
        metadata: meta("azure"),
        spec: { credentials: ["acr-old"], secretName: "acr-pull", namespaces: { names: ["team-b"] } },
        status: {
          observedGeneration: 1,
          conditions: [
            condition(
              "Ready",
              "False",
              "CredentialUnavailable",
              "2026-06-01T11:00:00Z",
              "every credential of acr-pull has expired",
            ),
          ],
          namespaces: 1,
          secretsInSync: 0,
        },
      },
    ],
    namespaces: [
      { name: "team-a", labels: { team: "apps" }, terminating: false },
      { name: "team-b", labels: { team: "apps" }, terminating: false },
      { name: "team-c", labels: { team: "apps" }, terminating: false },
      { name: "legacy", labels: {}, terminating: false },
      { name: "old-ns", labels: {}, terminating: true },
      { name: "monitoring", labels: {}, terminating: false },
      { name: "kube-system", labels: {}, terminating: false },
    ],
    serviceAccounts: [
      { namespace: "team-a", name: "default", imagePullSecrets: ["pull-creds"] },
      { namespace: "team-b", name: "default", imagePullSecrets: ["pull-creds"] },
      { namespace: "team-c", name: "default", imagePullSecrets: [] },
      { namespace: "legacy", name: "default", imagePullSecrets: [] },
    ],
    secrets: secrets.flatMap((secret) => {
      const facts = secretFacts(secret);
      return facts ? [facts] : [];
    }),
  };
}
