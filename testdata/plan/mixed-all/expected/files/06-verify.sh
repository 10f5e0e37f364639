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

# acr: AcrPull on shopprod for the kubelet identity of shop-prod.
az aks check-acr --resource-group rg-shop-prod --name shop-prod --acr shopprod.azurecr.io || fail 'AcrPull on shopprod for the kubelet identity of shop-prod'

# Each pull secret exists and holds a credential its registry accepts (redacted output).
kubectl get secret ecr-pull -n payments -o yaml | pullwarden secret inspect - ||
  fail "secret ecr-pull in" payments
for namespace in shop analytics; do
  kubectl get secret ghcr-pull -n "$namespace" -o yaml | pullwarden secret inspect - ||
    fail "secret ghcr-pull in" "$namespace"
done
for namespace in payments analytics; do
  kubectl get secret harbor-pull -n "$namespace" -o yaml | pullwarden secret inspect - ||
    fail "secret harbor-pull in" "$namespace"
done

# ServiceAccounts list their pull secrets.
check_binding shop default ghcr-pull
check_binding payments payments ecr-pull
check_binding payments payments harbor-pull
check_binding analytics default ghcr-pull
check_binding analytics default harbor-pull
check_binding analytics spark ghcr-pull
check_binding analytics spark harbor-pull

# The registry's own handshake: can the secret pull each image?
kubectl get secret ghcr-pull -n shop -o yaml | pullwarden check ghcr.io/acme/storefront:2.3 --secret - ||
  fail 'pull ghcr.io/acme/storefront:2.3 in shop'

exit "$status"
