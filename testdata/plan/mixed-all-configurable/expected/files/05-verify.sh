#!/usr/bin/env bash
# Checks the pull setup; changes nothing. Exit code 0 when every check passed.
set -uo pipefail

status=0
fail() {
  echo "FAILED: $*" >&2
  status=1
}

# Does ServiceAccount $2 in namespace $1 list secret $3 in imagePullSecrets?
check_binding() {
  if kubectl get serviceaccount "$2" -n "$1" -o jsonpath='{.imagePullSecrets[*].name}' | tr ' ' '\n' | grep -qx -- "$3"; then
    echo "ok: serviceaccount $2 in $1 lists $3"
  else
    fail "serviceaccount $2 in $1 does not list $3 in imagePullSecrets"
  fi
}

# Each pull secret exists and holds a credential its registry accepts (redacted output).
kubectl get secret ghcr-pull -n line-1 -o yaml | pullwarden secret inspect - ||
  fail "secret ghcr-pull in" line-1
for namespace in line-1 line-2; do
  kubectl get secret harbor-pull -n "$namespace" -o yaml | pullwarden secret inspect - ||
    fail "secret harbor-pull in" "$namespace"
done

# ServiceAccounts list their pull secrets.
check_binding line-1 default ghcr-pull
check_binding line-1 default harbor-pull

echo 'acr: served by a kubelet credential provider on the nodes; a failing pull shows in kubelet'\''s log and in pullwarden doctor POD -n NAMESPACE'
echo 'ecr: served by a kubelet credential provider on the nodes; a failing pull shows in kubelet'\''s log and in pullwarden doctor POD -n NAMESPACE'

exit "$status"
