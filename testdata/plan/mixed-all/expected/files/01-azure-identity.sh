#!/usr/bin/env bash
# Grants the cluster's identity pull access to its registries, so they need no pull secret. Needs: az login as
# an Owner or User Access Administrator of the registries.
set -euo pipefail

az account set --subscription 5b3c9f0e-1d2a-4c5b-8e7f-0a1b2c3d4e5f

# acr: AcrPull on shopprod for the kubelet identity of shop-prod
az aks update --resource-group rg-shop-prod --name shop-prod --attach-acr shopprod
