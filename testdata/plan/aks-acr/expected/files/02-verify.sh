#!/usr/bin/env bash
# Checks the pull setup; changes nothing. Exit code 0 when every check passed.
set -uo pipefail

status=0
fail() {
  echo "FAILED: $*" >&2
  status=1
}

# acr: AcrPull on contosoprod for the kubelet identity of prod-weu.
az aks check-acr --resource-group rg-prod --name prod-weu --acr contosoprod.azurecr.io || fail 'AcrPull on contosoprod for the kubelet identity of prod-weu'

# acr-shared: AcrPull on contososhared for the kubelet identity of prod-weu.
az aks check-acr --resource-group rg-prod --name prod-weu --acr contososhared.azurecr.io || fail 'AcrPull on contososhared for the kubelet identity of prod-weu'

exit "$status"
