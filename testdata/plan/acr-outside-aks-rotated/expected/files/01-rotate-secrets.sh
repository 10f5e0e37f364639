#!/usr/bin/env bash
# Writes fresh short-lived registry tokens into their pull secrets. Run it now, then every 1 hour (crontab: 7
# * * * *): the secrets stop working when their tokens expire. Needs pullwarden, kubectl and the cloud CLIs
# below, logged in.
set -euo pipefail

# Labels a secret as pullwarden's (apply --prune and audit recognise it) and creates or updates it.
apply_secret() {
  kubectl label --local -f - app.kubernetes.io/managed-by=pullwarden -o yaml | kubectl apply -f -
}

# acr (contosoprod.azurecr.io): secret acr-pull; the token lives about 3 hours, rewrite it every 1 hour.
token="$(az acr login --name contosoprod --expose-token --output tsv --query accessToken)"
printf '%s' "$token" |
  pullwarden secret create acr-pull -n web --docker-server=contosoprod.azurecr.io --docker-username=00000000-0000-0000-0000-000000000000 --docker-password-stdin --dry-run=client --no-creation-timestamp -o yaml |
  apply_secret
unset token
