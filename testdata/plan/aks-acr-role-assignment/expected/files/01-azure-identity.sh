#!/usr/bin/env bash
# Grants the cluster's identity pull access to its registries, so they need no pull secret. Needs: az login as
# an Owner or User Access Administrator of the registries.
set -euo pipefail

az account set --subscription 'Production Gov'
kubelet_object_id="$(az aks show --resource-group rg-gov --name prod-usgov --query identityProfile.kubeletidentity.objectId --output tsv)"

# acr: AcrPull on contosogov for the kubelet identity of prod-usgov
az role assignment create --assignee-object-id "$kubelet_object_id" --assignee-principal-type ServicePrincipal --role 7f951dda-4ed3-4680-a7ca-43fe172d538d --scope "$(az acr show --name contosogov --query id --output tsv)"

# acr-known-identity: AcrPull on contosoextra for the kubelet identity of prod-usgov
az role assignment create --assignee-object-id "$kubelet_object_id" --assignee-principal-type ServicePrincipal --role 7f951dda-4ed3-4680-a7ca-43fe172d538d --scope "$(az acr show --name contosoextra --query id --output tsv)"
