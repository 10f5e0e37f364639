#!/usr/bin/env bash
# Adds the pull secrets to the Pod templates of workloads that do not share a ServiceAccount. imagePullSecrets
# merge by name: entries already there stay. Changing the template rolls the workload out with the secrets.
set -euo pipefail

# team-a: DaemonSet/agent runs alone as ServiceAccount agent.
kubectl patch daemonset agent -n team-a --type=strategic --patch='{"spec":{"template":{"spec":{"imagePullSecrets":[{"name":"harbor-pull"},{"name":"dockerhub-pull"}]}}}}'

# team-a: Job/migrate cannot be patched (its Pod template is immutable). Add to its manifest's Pod spec:
# imagePullSecrets: [{name: harbor-pull}, {name: dockerhub-pull}], then recreate it.

# team-b: Deployment/web runs alone as ServiceAccount default.
kubectl patch deployment web -n team-b --type=strategic --patch='{"spec":{"template":{"spec":{"imagePullSecrets":[{"name":"harbor-pull"},{"name":"quay-pull"}]}}}}'
