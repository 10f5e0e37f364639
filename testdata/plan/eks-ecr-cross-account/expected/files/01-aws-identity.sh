#!/usr/bin/env bash
# Grants the cluster's identity pull access to its registries, so they need no pull secret. Needs: AWS
# credentials allowed iam:AttachRolePolicy on the node role.
set -euo pipefail

# shared-images, dualstack: AmazonEC2ContainerRegistryReadOnly on the node role staging-nodes
aws iam attach-role-policy --role-name staging-nodes --policy-arn arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly
