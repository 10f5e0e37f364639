#!/usr/bin/env bash
# Checks the pull setup; changes nothing. Exit code 0 when every check passed.
set -uo pipefail

status=0
fail() {
  echo "FAILED: $*" >&2
  status=1
}

# acr: AcrPull on contosogov for the kubelet identity of prod-usgov.
az aks check-acr --resource-group rg-gov --name prod-usgov --acr contosogov.azurecr.us || fail 'AcrPull on contosogov for the kubelet identity of prod-usgov'

# acr-known-identity: AcrPull on contosoextra for the kubelet identity of prod-usgov.
az aks check-acr --resource-group rg-gov --name prod-usgov --acr contosoextra.azurecr.us || fail 'AcrPull on contosoextra for the kubelet identity of prod-usgov'

exit "$status"
