#!/usr/bin/env bash
# Grants the cluster's identity pull access to its registries, so they need no pull secret. Needs: AWS
# credentials allowed iam:AttachRolePolicy on the node role.
set -euo pipefail

# ecr, ecr-us: AmazonEC2ContainerRegistryPullOnly on the node role prod-euw1-nodes
aws iam attach-role-policy --role-name prod-euw1-nodes --policy-arn arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly
