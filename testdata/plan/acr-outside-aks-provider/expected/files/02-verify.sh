#!/usr/bin/env bash
# Checks the pull setup; changes nothing. Exit code 0 when every check passed.
set -uo pipefail

echo 'acr: served by a kubelet credential provider on the nodes; a failing pull shows in kubelet'\''s log and in pullwarden doctor POD -n NAMESPACE'
echo 'acr-gov: served by a kubelet credential provider on the nodes; a failing pull shows in kubelet'\''s log and in pullwarden doctor POD -n NAMESPACE'

exit 0
