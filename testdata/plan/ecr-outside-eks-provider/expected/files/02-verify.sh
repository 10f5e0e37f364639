#!/usr/bin/env bash
# Checks the pull setup; changes nothing. Exit code 0 when every check passed.
set -uo pipefail

echo 'ecr: served by a kubelet credential provider on the nodes; a failing pull shows in kubelet'\''s log and in pullwarden doctor POD -n NAMESPACE'
echo 'ecr-fips: served by a kubelet credential provider on the nodes; a failing pull shows in kubelet'\''s log and in pullwarden doctor POD -n NAMESPACE'
echo 'ecr-dualstack: served by a kubelet credential provider on the nodes; a failing pull shows in kubelet'\''s log and in pullwarden doctor POD -n NAMESPACE'
echo 'ecr-dualstack-fips: served by a kubelet credential provider on the nodes; a failing pull shows in kubelet'\''s log and in pullwarden doctor POD -n NAMESPACE'
echo 'ecr-china: served by a kubelet credential provider on the nodes; a failing pull shows in kubelet'\''s log and in pullwarden doctor POD -n NAMESPACE'

exit 0
