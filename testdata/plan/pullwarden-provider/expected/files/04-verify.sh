#!/usr/bin/env bash
# Checks the pull setup; changes nothing. Exit code 0 when every check passed.
set -uo pipefail

status=0
fail() {
  echo "FAILED: $*" >&2
  status=1
}

# Each pull secret exists and holds a credential its registry accepts (redacted output).
kubectl get secret quay-pull -n line-2 -o yaml | pullwarden secret inspect - ||
  fail "secret quay-pull in" line-2

# ecr: the nodes pull with a kubelet credential provider, whose credentials only they hold (a node without it
# fails the pull: pullwarden doctor POD -n NAMESPACE). A token of the same kind from your own aws login checks
# that each listed image exists and the registry serves it.
aws ecr get-login-password --region eu-north-1 |
  pullwarden check 123456789012.dkr.ecr-fips.eu-north-1.amazonaws.com/mes:3 --username=AWS --password-stdin ||
  fail 'pull from ecr (123456789012.dkr.ecr-fips.eu-north-1.amazonaws.com)'

# ghcr: the nodes pull with the credential of /etc/pullwarden/registries.json; the same credential, read where
# the layout names it, checks that each listed image exists and can be pulled with it.
printf '%s' "${GHCR_TOKEN:?set GHCR_TOKEN to the classic personal access token for ghcr.io}" |
  pullwarden check ghcr.io/acme/plc-agent:2.1 --username=acme-bot --password-stdin ||
  fail 'pull from ghcr (ghcr.io)'

# harbor: the nodes pull with the credential of /etc/pullwarden/registries.json; the same credential, read
# where the layout names it, checks that each listed image exists and can be pulled with it.
pullwarden check harbor.factory.example:8443/line/vision:7 --username="robot\$line+pull" --password-stdin </run/secrets/harbor-robot ||
  fail 'pull from harbor (harbor.factory.example:8443)'

# hub: the nodes pull with the credential of /etc/pullwarden/registries.json; the same credential, read where
# the layout names it, checks that each listed image exists and can be pulled with it.
printf '%s' "${DOCKERHUB_TOKEN:?set DOCKERHUB_TOKEN to the Docker Hub personal access token for docker.io}" |
  pullwarden check docker.io/acme/bridge:1 --username=acmebot --password-stdin ||
  fail 'pull from hub (docker.io)'

echo 'acr: served by a kubelet credential provider on the nodes; a failing pull shows in kubelet'\''s log and in pullwarden doctor POD -n NAMESPACE'
echo 'ecr: served by a kubelet credential provider on the nodes; a failing pull shows in kubelet'\''s log and in pullwarden doctor POD -n NAMESPACE'
echo 'ghcr: served by a kubelet credential provider on the nodes; a failing pull shows in kubelet'\''s log and in pullwarden doctor POD -n NAMESPACE'
echo 'harbor: served by a kubelet credential provider on the nodes; a failing pull shows in kubelet'\''s log and in pullwarden doctor POD -n NAMESPACE'
echo 'hub: served by a kubelet credential provider on the nodes; a failing pull shows in kubelet'\''s log and in pullwarden doctor POD -n NAMESPACE'

exit "$status"
