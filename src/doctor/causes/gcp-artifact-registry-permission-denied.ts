import { candidate } from "../model.js";
import type { CauseDefinition } from "./definition.js";
import { fix } from "./shared/fixes.js";
import { nodeIdentityCandidates, nodeLine, noPodCredential } from "./shared/node-identity.js";
import { authWeight, PULL_PATH_EXPLAINED } from "./shared/pull-secrets.js";
import { shQuote } from "../../text/index.js";

export const cause: CauseDefinition<"gcp-artifact-registry-permission-denied"> = {
  id: "gcp-artifact-registry-permission-denied",
  title: "The Google service account lacks Artifact Registry read access",
  category: "node-identity",
  checks: ["the node's provider and the credential kubelet would try"],
  authentication: true,
  message: { score: 0.82, registries: ["gcr"] },
  wordings: [
    {
      id: "gar-download-denied",
      priority: 2020,
      re: /Permission "artifactregistry\.repositories\.downloadArtifacts" denied/,
      meaning:
        "Google Artifact Registry refused the caller: no Artifact Registry Reader role (or no such repository)",
      alternatives: ["image-not-found"],
    },
  ],
  fix: () =>
    fix(
      "Grant the node's (or workload's) Google service account the Artifact Registry Reader role on the repository.",
      [
        "gcloud artifacts repositories add-iam-policy-binding <repository> --location=<location> --member=serviceAccount:<node-service-account> --role=roles/artifactregistry.reader",
      ],
    ),
  // On GKE, an Artifact Registry image no pull secret covers is pulled with the node pool's service account.
  detect(ctx) {
    return nodeIdentityCandidates(ctx, ["gke"], (node, image) => {
      if (image.registry?.kind !== "gcr") return undefined;
      if (noPodCredential(image) === false) return undefined;
      if (image.auth === "other") return undefined;
      const pool = node.labels["cloud.google.com/gke-nodepool"];
      return candidate("gcp-artifact-registry-permission-denied", 0.8 * authWeight(image.auth), {
        image: image.image,
        containers: image.containers.map((c) => c.name),
        evidence: [
          nodeLine(node),
          `no pull secret of the Pod covers ${image.host ?? "the registry"}: the node pool's service account is the pull path`,
        ],
        fix: {
          explanation:
            "Grant the node pool's service account roles/artifactregistry.reader on the repository (or its project).",
          commands: [
            `gcloud container node-pools describe ${shQuote(pool ?? "<node-pool>")} --cluster <cluster> --location <location> --format='value(config.serviceAccount)'`,
            "gcloud artifacts repositories add-iam-policy-binding <repository> --location=<location> --member=serviceAccount:<node-service-account> --role=roles/artifactregistry.reader",
          ],
        },
        explains: PULL_PATH_EXPLAINED,
      });
    });
  },
};
