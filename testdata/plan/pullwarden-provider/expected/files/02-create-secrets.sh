#!/usr/bin/env bash
# Creates or updates the pull secrets in every namespace that pulls from their registry. The values are read
# from the environment and files named below when this runs; none is stored in this directory. Run it again
# after renewing a credential. Needs pullwarden and kubectl on PATH, kubectl pointed at the cluster.
set -euo pipefail

# Labels a secret as pullwarden's (apply --prune and audit recognise it) and creates or updates it.
apply_secret() {
  kubectl label --local -f - app.kubernetes.io/managed-by=pullwarden -o yaml | kubectl apply -f -
}

# quay (quay.io): secret quay-pull holding a robot account.
pullwarden secret create quay-pull -n line-2 --from-docker-config --registry=quay.io --dry-run=client --no-creation-timestamp -o yaml |
  apply_secret
