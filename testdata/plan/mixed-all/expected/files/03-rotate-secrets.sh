#!/usr/bin/env bash
# Writes fresh short-lived registry tokens into their pull secrets. Run it now, then every 6 hours (crontab:
# 17 */6 * * *): the secrets stop working when their tokens expire. Needs pullwarden, kubectl and the cloud
# CLIs below, logged in.
set -euo pipefail

# Labels a secret as pullwarden's (apply --prune and audit recognise it) and creates or updates it.
apply_secret() {
  kubectl label --local -f - app.kubernetes.io/managed-by=pullwarden -o yaml | kubectl apply -f -
}

# ecr (123456789012.dkr.ecr.eu-west-1.amazonaws.com): secret ecr-pull; the token lives 12 hours, rewrite it
# every 6 hours.
token="$(aws ecr get-login-password --region eu-west-1)"
printf '%s' "$token" |
  pullwarden secret create ecr-pull -n payments --docker-server=123456789012.dkr.ecr.eu-west-1.amazonaws.com --docker-username=AWS --docker-password-stdin --dry-run=client --no-creation-timestamp -o yaml |
  apply_secret
unset token
