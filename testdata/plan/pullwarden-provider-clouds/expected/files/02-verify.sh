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
aws ecr get-login-password --region us-west-2 |
  pullwarden check 123456789012.dkr-ecr.us-west-2.on.aws/ci/runner:5 --username=AWS --password-stdin ||
  fail 'pull from ecr (123456789012.dkr-ecr.us-west-2.on.aws)'

echo 'ecr: served by a kubelet credential provider on the nodes; a failing pull shows in kubelet'\''s log and in pullwarden doctor POD -n NAMESPACE'
echo 'acr: served by a kubelet credential provider on the nodes; a failing pull shows in kubelet'\''s log and in pullwarden doctor POD -n NAMESPACE'

exit "$status"
