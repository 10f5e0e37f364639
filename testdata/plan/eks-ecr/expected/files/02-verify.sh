#!/usr/bin/env bash
# Checks the pull setup; changes nothing. Exit code 0 when every check passed.
set -uo pipefail

status=0
fail() {
  echo "FAILED: $*" >&2
  status=1
}

# ecr: AmazonEC2ContainerRegistryPullOnly on the node role prod-euw1-nodes.
aws iam list-attached-role-policies --role-name prod-euw1-nodes --query 'AttachedPolicies[].PolicyName' --output text | grep -qw AmazonEC2ContainerRegistryPullOnly || fail 'AmazonEC2ContainerRegistryPullOnly on the node role prod-euw1-nodes'

exit "$status"
