#!/usr/bin/env bash
# Adds the pull secrets to the Pod templates of workloads that do not share a ServiceAccount. imagePullSecrets
# merge by name: entries already there stay. Changing the template rolls the workload out with the secrets.
set -euo pipefail

# line-2: Deployment/plc-bridge runs alone as ServiceAccount bridge.
kubectl patch deployment plc-bridge -n line-2 --type=strategic --patch='{"spec":{"template":{"spec":{"imagePullSecrets":[{"name":"quay-pull"}]}}}}'
