import { hasCause } from "../context.js";
import { candidate } from "../model.js";
import type { CauseDefinition } from "./definition.js";
import { nodeIdentityCandidates, nodeLine, noPodCredential } from "./shared/node-identity.js";
import { authWeight, PULL_PATH_EXPLAINED } from "./shared/pull-secrets.js";
import { shQuote } from "../../text/index.js";

export const cause: CauseDefinition<"eks-node-role-missing-ecr-pull"> = {
  id: "eks-node-role-missing-ecr-pull",
  title: "The EKS node role cannot pull from ECR",
  category: "node-identity",
  checks: [
    "the node's provider and node group (labels, providerID)",
    "whether a pull secret covers the ECR host",
  ],
  // On EKS, ECR pulls go through the node role (Fargate: the pod execution role) unless a pull secret covers the host.
  detect(ctx) {
    return nodeIdentityCandidates(ctx, ["eks", "eks-fargate"], (node, image) => {
      if (image.registry?.kind !== "ecr") return undefined;
      const none = noPodCredential(image);
      if (none === false) return undefined;
      const ecr = image.registry;
      const repository = image.ref?.path ?? "<repository>";
      const fargate = node.provider === "eks-fargate";
      const nodegroup = node.labels["eks.amazonaws.com/nodegroup"];
      const cluster = node.labels["alpha.eksctl.io/cluster-name"];
      const commands = fargate
        ? [
            `aws eks describe-fargate-profile --cluster-name ${shQuote(cluster ?? "<cluster>")} --fargate-profile-name ${shQuote(node.labels["eks.amazonaws.com/fargate-profile"] ?? "<profile>")} --query fargateProfile.podExecutionRoleArn --output text`,
            "aws iam attach-role-policy --role-name <pod-execution-role> --policy-arn arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
          ]
        : [
            `aws eks describe-nodegroup --cluster-name ${shQuote(cluster ?? "<cluster>")} --nodegroup-name ${shQuote(nodegroup ?? "<nodegroup>")} --query nodegroup.nodeRole --output text`,
            "aws iam attach-role-policy --role-name <node-role> --policy-arn arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
          ];
      commands.push(
        `aws ecr get-repository-policy --repository-name ${shQuote(repository)} --region ${shQuote(ecr.region)} --registry-id ${ecr.accountId}`,
      );
      const noBasic = hasCause(image, "registry-requires-auth");
      return candidate("eks-node-role-missing-ecr-pull", 0.87 * authWeight(image.auth), {
        image: image.image,
        containers: image.containers.map((c) => c.name),
        title: `The EKS ${fargate ? "pod execution role" : "node role"} cannot pull from ${ecr.host}`,
        evidence: [
          nodeLine(node),
          none === true
            ? `no pull secret of the Pod covers ${ecr.host}: the ${fargate ? "Fargate pod execution role" : "node's IAM role"} (ECR credential provider) is the only pull path`
            : `the Pod's pull secrets are unknown; on EKS, ECR pulls normally use the ${fargate ? "pod execution role" : "node role"}`,
          ...(noBasic
            ? [
                "no basic auth credentials: the credential provider gave kubelet nothing (no ecr:GetAuthorizationToken, or no provider configured on this node)",
              ]
            : []),
          `the repository is in account ${ecr.accountId}, region ${ecr.region}; another account's repository also needs a repository policy allowing this role`,
        ],
        fix: {
          explanation: `Give the ${fargate ? "pod execution role" : "node role"} ECR pull rights (AmazonEC2ContainerRegistryPullOnly: ecr:GetAuthorizationToken, ecr:BatchGetImage, ecr:GetDownloadUrlForLayer); for a cross-account repository, also allow the role in the repository policy.`,
          commands,
        },
        explains: PULL_PATH_EXPLAINED,
      });
    });
  },
};
