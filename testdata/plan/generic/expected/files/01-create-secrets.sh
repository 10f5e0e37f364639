#!/usr/bin/env bash
# Creates or updates the pull secrets in every namespace that pulls from their registry. The values are read
# from the environment and files named below when this runs; none is stored in this directory. Run it again
# after renewing a credential. Needs pullwarden and kubectl on PATH, kubectl pointed at the cluster.
set -euo pipefail

# Labels a secret as pullwarden's (apply --prune and audit recognise it) and creates or updates it.
apply_secret() {
  kubectl label --local -f - app.kubernetes.io/managed-by=pullwarden -o yaml | kubectl apply -f -
}

# harbor (harbor.corp.example:8443): secret harbor-pull holding a robot account, expires 2026-12-31.
: "${HARBOR_TOKEN:?set HARBOR_TOKEN to the robot account for harbor.corp.example:8443}"
for namespace in team-a team-b; do
  printf '%s' "$HARBOR_TOKEN" |
    pullwarden secret create harbor-pull -n "$namespace" --docker-server=harbor.corp.example:8443 --docker-username="robot\$team-a+pull" --docker-password-stdin --dry-run=client --no-creation-timestamp -o yaml |
    apply_secret
done

# quay (quay.io): secret quay-pull holding a robot account.
pullwarden secret create quay-pull -n team-b --docker-server=quay.io --docker-username=acme+puller --docker-password-stdin --dry-run=client --no-creation-timestamp -o yaml </run/secrets/quay-password |
  apply_secret

# dockerhub (docker.io): secret dockerhub-pull holding a Docker Hub personal access token.
pullwarden secret create dockerhub-pull -n team-a --from-docker-config --registry=docker.io --dry-run=client --no-creation-timestamp -o yaml |
  apply_secret
