#!/usr/bin/env bash
# Creates or updates the pull secrets in every namespace that pulls from their registry. The values are read
# from the environment and files named below when this runs; none is stored in this directory. Run it again
# after renewing a credential. Needs pullwarden and kubectl on PATH, kubectl pointed at the cluster.
set -euo pipefail

# Labels a secret as pullwarden's (apply --prune and audit recognise it) and creates or updates it.
apply_secret() {
  kubectl label --local -f - app.kubernetes.io/managed-by=pullwarden -o yaml | kubectl apply -f -
}

# ghcr (ghcr.io): secret ghcr-pull holding a classic personal access token, expires 2026-09-30.
: "${GHCR_TOKEN:?set GHCR_TOKEN to the classic personal access token for ghcr.io}"
printf '%s' "$GHCR_TOKEN" |
  pullwarden secret create ghcr-pull -n shop --docker-server=ghcr.io --docker-username=acme-bot --docker-password-stdin --dry-run=client --no-creation-timestamp -o yaml |
  apply_secret
