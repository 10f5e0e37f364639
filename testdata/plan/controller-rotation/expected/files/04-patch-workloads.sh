#!/usr/bin/env bash
# Adds the pull secrets to the Pod templates of workloads that do not share a ServiceAccount. imagePullSecrets
# merge by name: entries already there stay. Changing the template rolls the workload out with the secrets.
set -euo pipefail

# search: Deployment/indexer runs alone as ServiceAccount indexer.
kubectl patch deployment indexer -n search --type=strategic --patch='{"spec":{"template":{"spec":{"imagePullSecrets":[{"name":"ecr-pull"},{"name":"acr-pull"}]}}}}'
