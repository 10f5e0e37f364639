// The cluster edge of `pullwarden status`: lists the custom resources, Namespaces, ServiceAccounts and Secrets
// (in parallel, every page) and turns them into the pure view's inputs. Secrets become SecretFacts here, so
// their values go no further than this function.
import { EnvironmentError } from "../../../errors.js";
import type { StatusInputs } from "../../../controller/status-view.js";
import { secretFacts } from "../../../controller/status-view-secrets.js";
import type { ClusterPullCredential, ClusterPullSecretBinding } from "../../../desired/index.js";
import {
  BINDING_KIND,
  BINDING_PLURAL,
  CONTROLLER_API_GROUP,
  CREDENTIAL_KIND,
  CREDENTIAL_PLURAL,
} from "../../../desired/index.js";
import type { KubeConnectionOptions } from "../../../kube/index.js";
import type { NamespaceObject, SecretObject, ServiceAccountObject } from "../../../kube-model/index.js";

const VERSION = "v1alpha1";

export async function loadStatusInputs(
  connection: KubeConnectionOptions,
  now: () => Date,
): Promise<StatusInputs> {
  const { ControllerKubeClient, KubeApiError, loadKubeConfig } = await import("../../../kube/index.js");
  const client = new ControllerKubeClient(loadKubeConfig(connection), connection.timeouts);
  const custom = async (plural: string, customKind: string) => {
    try {
      return (
        await client.listForWatch({
          kind: "Custom",
          group: CONTROLLER_API_GROUP,
          version: VERSION,
          plural,
          customKind,
        })
      ).items;
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404)
        throw new EnvironmentError(
          "E_KUBE_NOTFOUND",
          `${client.target.context}: the ${plural}.${CONTROLLER_API_GROUP} custom resource is not installed, so there is no controller status to show`,
          { hint: "install the controller (helm install pullwarden charts/pullwarden, docs/controller.md)" },
        );
      throw error;
    }
  };
  const [credentials, bindings, namespaces, serviceAccounts, secrets] = await Promise.all([
    custom(CREDENTIAL_PLURAL, CREDENTIAL_KIND),
    custom(BINDING_PLURAL, BINDING_KIND),
    client.listForWatch({ kind: "Namespace" }),
    client.listForWatch({ kind: "ServiceAccount" }),
    client.listForWatch({ kind: "Secret" }),
  ]);
  return {
    credentials: credentials as ClusterPullCredential[],
    bindings: bindings as ClusterPullSecretBinding[],
    namespaces: (namespaces.items as NamespaceObject[]).map((ns) => ({
      name: ns.metadata.name ?? "",
      labels: ns.metadata.labels ?? {},
      terminating: ns.metadata.deletionTimestamp !== undefined || ns.status?.phase === "Terminating",
    })),
    serviceAccounts: (serviceAccounts.items as ServiceAccountObject[]).map((sa) => ({
      namespace: sa.metadata.namespace ?? "",
      name: sa.metadata.name ?? "",
      imagePullSecrets: (sa.imagePullSecrets ?? []).flatMap((ref) => (ref.name ? [ref.name] : [])),
    })),
    secrets: (secrets.items as SecretObject[]).flatMap((secret) => {
      const facts = secretFacts(secret);
      return facts ? [facts] : [];
    }),
    now: now(),
  };
}
