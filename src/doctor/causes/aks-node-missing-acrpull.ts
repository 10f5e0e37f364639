import { candidate } from "../model.js";
import type { CauseDefinition } from "./definition.js";
import { nodeIdentityCandidates, nodeLine, noPodCredential } from "./shared/node-identity.js";
import { authWeight, PULL_PATH_EXPLAINED } from "./shared/pull-secrets.js";
import { shQuote } from "../../text/index.js";

export const cause: CauseDefinition<"aks-node-missing-acrpull"> = {
  id: "aks-node-missing-acrpull",
  title: "The AKS kubelet identity lacks AcrPull on the registry",
  category: "node-identity",
  checks: [
    "the node's provider and kubelet identity (labels, providerID)",
    "whether a pull secret covers the ACR host",
  ],
  // On AKS, ACR pulls go through the kubelet identity unless a pull secret covers the host.
  detect(ctx) {
    return nodeIdentityCandidates(ctx, ["aks"], (node, image) => {
      if (image.registry?.kind !== "acr") return undefined;
      const none = noPodCredential(image);
      if (none === false) return undefined;
      const acr = image.registry;
      const clientId = node.labels["kubernetes.azure.com/kubelet-identity-client-id"];
      const nodeResourceGroup = node.labels["kubernetes.azure.com/cluster"];
      const commands = [
        `az aks update --name <cluster> --resource-group <resource-group> --attach-acr ${shQuote(acr.registryName)}`,
        `az aks check-acr --name <cluster> --resource-group <resource-group> --acr ${shQuote(acr.host)}`,
      ];
      // Azure resource group names: letters, digits, _ . ( ) - only, so double quotes are safe.
      if (nodeResourceGroup && /^[A-Za-z0-9_.()-]{1,90}$/.test(nodeResourceGroup)) {
        commands.unshift(
          `az aks list --query "[?nodeResourceGroup=='${nodeResourceGroup}'].{name:name, resourceGroup:resourceGroup}" --output table`,
        );
      }
      if (clientId && /^[0-9a-f-]{36}$/i.test(clientId)) {
        commands.push(
          `az role assignment create --assignee ${clientId} --role AcrPull --scope "$(az acr show --name ${shQuote(acr.registryName)} --query id --output tsv)"`,
        );
      }
      return candidate("aks-node-missing-acrpull", 0.88 * authWeight(image.auth), {
        image: image.image,
        containers: image.containers.map((c) => c.name),
        title: `The AKS kubelet identity cannot pull from ${acr.host} (AcrPull missing)`,
        evidence: [
          nodeLine(node),
          none === true
            ? `no pull secret of the Pod covers ${acr.host}: the node's kubelet identity (acr-credential-provider) is the only pull path`
            : `the Pod's pull secrets are unknown; on AKS, ACR pulls normally use the kubelet identity`,
          ...(clientId ? [`kubelet identity client id ${clientId}`] : []),
          "ACR answers 401/403 when the identity lacks AcrPull on the registry (or the registry is in another tenant, or its firewall blocks the node)",
        ],
        fix: {
          explanation: `Grant the cluster's kubelet identity AcrPull on ${acr.registryName} (az aks update --attach-acr does exactly that), then let the back-off retry.`,
          commands,
        },
        explains: PULL_PATH_EXPLAINED,
      });
    });
  },
};
