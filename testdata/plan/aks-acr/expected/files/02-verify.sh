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

# acr: the nodes pull with their cloud identity, which only they hold (its grant is checked above). A token of
# the same kind from your own az login checks that each listed image exists and the registry serves it.
az acr login --name contosoprod --expose-token --output tsv --query accessToken |
  pullwarden check contosoprod.azurecr.io/web/frontend:3.1 --username=00000000-0000-0000-0000-000000000000 --password-stdin ||
  fail 'pull from acr (contosoprod.azurecr.io)'

# acr-shared: the nodes pull with their cloud identity, which only they hold (its grant is checked above). A
# token of the same kind from your own az login checks that each listed image exists and the registry serves
# it.
az acr login --name contososhared --expose-token --output tsv --query accessToken |
  pullwarden check contososhared.azurecr.io/base/nginx:1.27 --username=00000000-0000-0000-0000-000000000000 --password-stdin ||
  fail 'pull from acr-shared (contososhared.azurecr.io)'

exit "$status"
