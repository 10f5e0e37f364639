#!/usr/bin/env bash
# Adds the pull secrets to the Pod templates of workloads that do not share a ServiceAccount. imagePullSecrets
# merge by name: entries already there stay. Changing the template rolls the workload out with the secrets.
set -euo pipefail

# reports: Deployment/renderer runs alone as ServiceAccount default.
kubectl patch deployment renderer -n reports --type=strategic --patch='{"spec":{"template":{"spec":{"imagePullSecrets":[{"name":"aws-ecr"}]}}}}'
