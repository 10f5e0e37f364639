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
for namespace in shop payments search; do
  kubectl get secret ecr-pull -n "$namespace" -o yaml | pullwarden secret inspect - ||
    fail "secret ecr-pull in" "$namespace"
done
for namespace in shop search; do
  kubectl get secret acr-pull -n "$namespace" -o yaml | pullwarden secret inspect - ||
    fail "secret acr-pull in" "$namespace"
done
kubectl get secret ghcr-pull -n shop -o yaml | pullwarden secret inspect - ||
  fail "secret ghcr-pull in" shop

# ServiceAccounts list their pull secrets.
check_binding shop default ecr-pull
check_binding shop default acr-pull
check_binding shop default ghcr-pull
check_binding payments payments-runner ecr-pull

# The controller minted, verified and serves each credential (condition Ready).
kubectl get clusterpullcredentials.pullwarden.io ecr -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' | grep -qx True ||
  fail 'clusterpullcredential ecr is not Ready: kubectl describe clusterpullcredentials.pullwarden.io ecr'
kubectl get clusterpullcredentials.pullwarden.io acr -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' | grep -qx True ||
  fail 'clusterpullcredential acr is not Ready: kubectl describe clusterpullcredentials.pullwarden.io acr'

# The registry's own handshake: can the secret pull each image?
kubectl get secret ecr-pull -n shop -o yaml | pullwarden check 123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/api:1.4 --secret - ||
  fail 'pull 123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/api:1.4 in shop'
kubectl get secret acr-pull -n shop -o yaml | pullwarden check contososhop.azurecr.io/shop/web:2 --secret - ||
  fail 'pull contososhop.azurecr.io/shop/web:2 in shop'

exit "$status"
