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
for namespace in team-a team-b; do
  kubectl get secret harbor-pull -n "$namespace" -o yaml | pullwarden secret inspect - ||
    fail "secret harbor-pull in" "$namespace"
done
kubectl get secret quay-pull -n team-b -o yaml | pullwarden secret inspect - ||
  fail "secret quay-pull in" team-b
kubectl get secret dockerhub-pull -n team-a -o yaml | pullwarden secret inspect - ||
  fail "secret dockerhub-pull in" team-a

# ServiceAccounts list their pull secrets.
check_binding team-a api harbor-pull
check_binding team-a api dockerhub-pull

exit "$status"
