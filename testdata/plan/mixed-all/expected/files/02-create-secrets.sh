#!/usr/bin/env bash
# Creates or updates the pull secrets in every namespace that pulls from their registry. The values are read
# from the environment and files named below when this runs; none is stored in this directory. Run it again
# after renewing a credential. Needs pullwarden and kubectl on PATH, kubectl pointed at the cluster.
set -euo pipefail

# Labels a secret as pullwarden's (apply --prune and audit recognise it) and creates or updates it.
apply_secret() {
  kubectl label --local -f - app.kubernetes.io/managed-by=pullwarden -o yaml | kubectl apply -f -
}

# ghcr (ghcr.io): secret ghcr-pull holding a classic personal access token, expires 2027-03-31.
: "${GHCR_TOKEN:?set GHCR_TOKEN to the classic personal access token for ghcr.io}"
for namespace in shop analytics; do
  printf '%s' "$GHCR_TOKEN" |
    pullwarden secret create ghcr-pull -n "$namespace" --docker-server=ghcr.io --docker-username=acme-bot --docker-password-stdin --dry-run=client --no-creation-timestamp -o yaml |
    apply_secret
done

# harbor (harbor.example.com): secret harbor-pull holding a robot account, expires 2027-06-30.
: "${HARBOR_PASSWORD:?set HARBOR_PASSWORD to the robot account for harbor.example.com}"
for namespace in payments analytics; do
  printf '%s' "$HARBOR_PASSWORD" |
    pullwarden secret create harbor-pull -n "$namespace" --docker-server=harbor.example.com --docker-username="robot\$shop+puller" --docker-password-stdin --dry-run=client --no-creation-timestamp -o yaml |
    apply_secret
done
