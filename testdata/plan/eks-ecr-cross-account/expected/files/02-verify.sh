#!/usr/bin/env bash
# Checks the pull setup; changes nothing. Exit code 0 when every check passed.
set -uo pipefail

status=0
fail() {
  echo "FAILED: $*" >&2
  status=1
}

# shared-images: AmazonEC2ContainerRegistryReadOnly on the node role staging-nodes.
aws iam list-attached-role-policies --role-name staging-nodes --query 'AttachedPolicies[].PolicyName' --output text | grep -qw AmazonEC2ContainerRegistryReadOnly || fail 'AmazonEC2ContainerRegistryReadOnly on the node role staging-nodes'

exit "$status"
