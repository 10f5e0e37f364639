#!/usr/bin/env bash
# Adds the pull secrets to the Pod templates of workloads that do not share a ServiceAccount. imagePullSecrets
# merge by name: entries already there stay. Changing the template rolls the workload out with the secrets.
set -euo pipefail

# payments: CronJob/settlement runs alone as ServiceAccount settlement.
kubectl patch cronjob settlement -n payments --type=strategic --patch='{"spec":{"jobTemplate":{"spec":{"template":{"spec":{"imagePullSecrets":[{"name":"ecr-pull"},{"name":"harbor-pull"}]}}}}}}'
