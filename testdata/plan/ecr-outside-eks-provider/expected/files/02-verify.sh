#!/usr/bin/env bash
# Checks the pull setup; changes nothing. Exit code 0 when every check passed.
set -uo pipefail

status=0
fail() {
  echo "FAILED: $*" >&2
  status=1
}

# ecr: the nodes pull with a kubelet credential provider, whose credentials only they hold (a node without it
# fails the pull: pullwarden doctor POD -n NAMESPACE). A token of the same kind from your own aws login checks
# that each listed image exists and the registry serves it.
aws ecr get-login-password --region eu-central-1 |
  pullwarden check 123456789012.dkr.ecr.eu-central-1.amazonaws.com/app:1.0 --username=AWS --password-stdin ||
  fail 'pull from ecr (123456789012.dkr.ecr.eu-central-1.amazonaws.com)'

echo 'ecr: served by a kubelet credential provider on the nodes; a failing pull shows in kubelet'\''s log and in pullwarden doctor POD -n NAMESPACE'
echo 'ecr-fips: served by a kubelet credential provider on the nodes; a failing pull shows in kubelet'\''s log and in pullwarden doctor POD -n NAMESPACE'
echo 'ecr-dualstack: served by a kubelet credential provider on the nodes; a failing pull shows in kubelet'\''s log and in pullwarden doctor POD -n NAMESPACE'
echo 'ecr-dualstack-fips: served by a kubelet credential provider on the nodes; a failing pull shows in kubelet'\''s log and in pullwarden doctor POD -n NAMESPACE'
echo 'ecr-china: served by a kubelet credential provider on the nodes; a failing pull shows in kubelet'\''s log and in pullwarden doctor POD -n NAMESPACE'

exit "$status"
