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

# ecr: the nodes pull with their cloud identity, which only they hold (its grant is checked above). A token of
# the same kind from your own aws login checks that each listed image exists and the registry serves it.
aws ecr get-login-password --region eu-west-1 |
  pullwarden check 111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:1.4 --username=AWS --password-stdin ||
  fail 'pull from ecr (111122223333.dkr.ecr.eu-west-1.amazonaws.com)'

# ecr-us: the nodes pull with their cloud identity, which only they hold (its grant is checked above). A token
# of the same kind from your own aws login checks that each listed image exists and the registry serves it.
aws ecr get-login-password --region us-east-1 |
  pullwarden check 111122223333.dkr.ecr-fips.us-east-1.amazonaws.com/api-fips:1.4 --username=AWS --password-stdin ||
  fail 'pull from ecr-us (111122223333.dkr.ecr-fips.us-east-1.amazonaws.com)'

exit "$status"
