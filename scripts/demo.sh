#!/usr/bin/env bash
# pullwarden's main job on the bundled example, from a clean clone: install, build, then create, inspect and
# match pull secrets, plan the pull setup of an example cluster, and audit an example app. Every credential in
# examples/ is fake.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  npm ci --no-audit --no-fund
fi
npm run --silent build

pullwarden() { node dist/bin/main.js "$@"; }
show() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

show "printf '%s' \"\$GHCR_TOKEN\" | pullwarden secret create ghcr-pull -n apps --docker-server=ghcr.io --docker-username=acme-bot --docker-password-stdin --dry-run=client -o yaml"
printf '%s' "ghp_EXAMPLE0example0EXAMPLE0example01234" |
  pullwarden secret create ghcr-pull -n apps --docker-server=ghcr.io --docker-username=acme-bot \
    --docker-password-stdin --dry-run=client -o yaml

show "pullwarden secret inspect examples/pull-secrets.yaml"
status=0
pullwarden secret inspect examples/pull-secrets.yaml || status=$?
echo "(exit code $status: the example holds broken secrets on purpose)"

show "pullwarden secret match ghcr.io/acme/api:1.4 examples/pull-secrets.yaml"
pullwarden secret match ghcr.io/acme/api:1.4 examples/pull-secrets.yaml

show "pullwarden secret match nginx:1.27 examples/pull-secrets.yaml"
pullwarden secret match nginx:1.27 examples/pull-secrets.yaml

show "pullwarden plan -f examples/layout.yaml"
pullwarden plan -f examples/layout.yaml

plan_dir="$(mktemp -d)"
trap 'rm -rf "$plan_dir"' EXIT
show "pullwarden plan -f examples/layout.yaml -o $plan_dir/shop-plan"
pullwarden plan -f examples/layout.yaml -o "$plan_dir/shop-plan"
ls -l "$plan_dir/shop-plan"

show "pullwarden audit examples/manifests/"
status=0
pullwarden audit examples/manifests/ || status=$?
echo "(exit code $status: the example app has broken pull setups on purpose; -o sarif|json|junit|html for machines)"

show "pullwarden audit examples/manifests/payments.yaml --provider aks   # AKS nodes pull ACR with the kubelet identity"
status=0
pullwarden audit examples/manifests/payments.yaml --provider aks || status=$?
echo "(exit code $status)"

show "pullwarden explain examples/describe/web-pod.txt   # offline, from kubectl describe pod output"
status=0
pullwarden explain examples/describe/web-pod.txt || status=$?
echo "(exit code $status: a cause was found)"
