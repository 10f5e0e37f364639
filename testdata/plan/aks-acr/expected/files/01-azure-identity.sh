#!/usr/bin/env bash
# Grants the cluster's identity pull access to its registries, so they need no pull secret. Needs: az login as
# an Owner or User Access Administrator of the registries.
set -euo pipefail

# acr: AcrPull on contosoprod for the kubelet identity of prod-weu
az aks update --resource-group rg-prod --name prod-weu --attach-acr contosoprod

# acr-shared: AcrPull on contososhared for the kubelet identity of prod-weu
az aks update --resource-group rg-prod --name prod-weu --attach-acr /subscriptions/0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d/resourceGroups/rg-shared/providers/Microsoft.ContainerRegistry/registries/contososhared
