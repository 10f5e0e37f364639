#!/usr/bin/env bash
# pullwarden's main job on the bundled example, from a clean clone: install, build, then create, inspect and
# match pull secrets, plan the pull setup of an example cluster, audit an example app and explain a Pod failure.
# Every credential in examples/ is fake. Each step shows the first lines of its output and its summary; run the
# command shown to see all of it.
set -euo pipefail
cd "$(dirname "$0")/.."

# npm ls, not file times: a checkout or commit that touches package-lock.json must not trigger npm ci, which
# deletes node_modules first.
if [ ! -d node_modules ] || ! npm ls --silent >/dev/null 2>&1; then
  echo "Installing dependencies (npm ci) ..."
  npm ci --no-audit --no-fund --loglevel=error
fi
# Build only when dist/ is missing or older than what it is built from.
if [ ! -f dist/bin/main.js ] ||
  [ -n "$(find src package.json tsconfig.build.json scripts/bundle.mjs -newer dist/bin/main.js -print -quit)" ]; then
  echo "Building (npm run build) ..."
  npm run --silent build
fi

# The examples' expiry dates are judged against this fixed time, so the demo reads the same on any day.
export PULLWARDEN_NOW=2026-12-01T00:00:00Z
pullwarden() { node dist/bin/main.js "$@"; }

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then bold=$'\033[1m' dim=$'\033[2m' reset=$'\033[0m'; else bold='' dim='' reset=''; fi

# excerpt LINES [SUMMARY_REGEX]: the first LINES lines of stdin, then how many were left out and the lines
# matching SUMMARY_REGEX among them; long lines are cut at 110 characters.
excerpt() {
  # shellcheck disable=SC2016 # JavaScript, not shell
  node -e '
    const [head, summary] = [Number(process.argv[1]), process.argv[2] ? new RegExp(process.argv[2]) : undefined];
    const lines = require("fs").readFileSync(0, "utf8").replace(/\n+$/, "").split("\n");
    const cut = (line) => "   | " + ([...line].length > 110 ? [...line].slice(0, 109).join("") + "…" : line);
    const shown = lines.slice(0, head).map(cut);
    const rest = lines.slice(head);
    if (rest.length > 0) {
      const summaries = summary ? rest.filter((line) => summary.test(line)) : [];
      shown.push(`   | … ${rest.length - summaries.length} more lines …`, ...summaries.map(cut));
    }
    console.log(shown.join("\n"));
  ' "$@"
}

step_count=0
# step TITLE SHOWN_COMMAND LINES SUMMARY_REGEX WHY_EXIT -- COMMAND...: runs COMMAND, shows an excerpt and the exit code.
step() {
  local title=$1 shown=$2 lines=$3 summary=$4 why=$5
  shift 6
  step_count=$((step_count + 1))
  printf '\n%s%d. %s%s\n%s   $ %s%s\n' "$bold" "$step_count" "$title" "$reset" "$dim" "$shown" "$reset"
  local output status=0
  output="$("$@" 2>&1)" || status=$?
  printf '%s\n' "$output" | excerpt "$lines" "$summary"
  printf '   %s(exit %d%s)%s\n' "$dim" "$status" "${why:+: $why}" "$reset"
}

create_secret() {
  printf '%s' "ghp_EXAMPLE0example0EXAMPLE0example01234" |
    pullwarden secret create ghcr-pull -n apps --docker-server=ghcr.io --docker-username=acme-bot \
      --docker-password-stdin --dry-run=client -o yaml
}

plan_dir="$(mktemp -d)"
trap 'rm -rf "$plan_dir"' EXIT
# In a scratch directory, so the paths it prints are the same on every run.
plan_files() {
  local repo=$PWD
  (cd "$plan_dir" && node "$repo/dist/bin/main.js" plan -f "$repo/examples/layout.yaml" -o shop-plan 2>&1 &&
    cd shop-plan && echo *)
}

printf '%spullwarden on the bundled examples%s (every credential in examples/ is fake; the clock is fixed at\n' \
  "$bold" "$reset"
printf '%s with PULLWARDEN_NOW so expiry dates read the same on any day)\n' "$PULLWARDEN_NOW"

step "Create a GHCR pull secret, password on stdin (byte-identical to kubectl create secret docker-registry)" \
  "printf '%s' \"\$GHCR_TOKEN\" | pullwarden secret create ghcr-pull -n apps --docker-server=ghcr.io --docker-username=acme-bot --docker-password-stdin --dry-run=client -o yaml" \
  4 "" "" -- create_secret
step "Inspect pull secrets, redacted: keys, token kinds, expiry, problems" \
  "pullwarden secret inspect examples/pull-secrets.yaml" \
  8 "source\(s\)" "the example holds broken secrets on purpose" -- \
  pullwarden secret inspect examples/pull-secrets.yaml
step "Which credentials kubelet tries for an image, in kubelet's order" \
  "pullwarden secret match ghcr.io/acme/api:1.4 examples/pull-secrets.yaml" \
  3 "^[0-9]+\. secret|kubelet tries" "" -- pullwarden secret match ghcr.io/acme/api:1.4 examples/pull-secrets.yaml
step "Plan the pull setup of a cluster: a method and a reason per registry" \
  "pullwarden plan -f examples/layout.yaml" \
  7 "" "" -- pullwarden plan -f examples/layout.yaml
step "... and write it as numbered, ready-to-run files" \
  "pullwarden plan -f examples/layout.yaml -o shop-plan && ls shop-plan" \
  3 "" "" -- plan_files
step "Audit an app's manifests for broken and insecure pull setups (-o sarif|json|junit|html for machines)" \
  "pullwarden audit examples/manifests/" \
  4 "errors, .* warnings" "the example app is broken on purpose" -- pullwarden audit examples/manifests/
step "Explain a Pod's pull failure offline, from kubectl describe pod output" \
  "pullwarden explain examples/describe/web-pod.txt" \
  4 "^\s+\\\$ pullwarden doctor" "a cause was found" -- pullwarden explain examples/describe/web-pod.txt

cat <<EOF

${bold}Done: ${step_count} steps.${reset} Each showed the first lines of its output; run its command to see all of it.
Run the README's examples from this directory with npx, which runs this clone's build:
  npx pullwarden secret inspect examples/pull-secrets.yaml
  npx pullwarden --help
or put pullwarden on your PATH (and kubectl pullwarden with it) once: npm link
EOF
