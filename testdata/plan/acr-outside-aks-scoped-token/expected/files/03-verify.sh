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
kubectl get secret acr-pull -n lab -o yaml | pullwarden secret inspect - ||
  fail "secret acr-pull in" lab

# ServiceAccounts list their pull secrets.
check_binding lab default acr-pull

exit "$status"
