#!/usr/bin/env bash
# A local sandbox to try pullwarden's cluster commands without a cluster: a Kubernetes API server and a private
# registry (TLS, htpasswd) on 127.0.0.1, seeded with Pods that cannot pull. The program is scripts/sandbox/main.ts;
# this script builds what it needs and hands over to it. docs/sandbox.md.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  cat <<'EOF'
Usage: scripts/sandbox.sh [--print-env] [--no-build] [-- COMMAND [ARG...]]

Starts an API server and a TLS registry with htpasswd on 127.0.0.1 (free ports), seeds namespaces shop and
payments with Pods that cannot pull (and one that runs), prints how to point pullwarden at it, and runs until
Ctrl-C or SIGTERM, which stop everything and remove its files. Every credential is fake, made per run.

  --print-env  print `export NAME=VALUE` lines (KUBECONFIG, PATH with pullwarden, PULLWARDEN_SANDBOX_*) instead
               of the welcome text, then a line starting with "# pullwarden sandbox ready"; keeps running
  --no-build   use dist/ as it is (default: npm ci and npm run build when missing or stale)
  -- COMMAND   one shot: run COMMAND in that environment, then stop and exit with its status
  -h, --help   show this help

Needs Node.js 20+ and docker-registry, htpasswd, skopeo, openssl (scripts/install-test-deps.sh installs them).
Exit status: 0 stopped on request; 2 usage; 4 could not start; with --, the status of COMMAND.
EOF
}

build=1
args=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    -h | --help)
      usage
      exit 0
      ;;
    --no-build) build=0 ;;
    --print-env) args+=("$1") ;;
    --)
      if [ "$#" -lt 2 ]; then
        echo "sandbox: -- must be followed by a command to run; see scripts/sandbox.sh --help" >&2
        exit 2
      fi
      args+=("$@")
      break
      ;;
    *)
      echo "sandbox: unknown argument '$1'; see scripts/sandbox.sh --help" >&2
      exit 2
      ;;
  esac
  shift
done

# Environment problems (exit 4, as in docs/exit-codes.md): one line, with what to do.
fail() {
  echo "sandbox: $*" >&2
  exit 4
}

command -v node >/dev/null 2>&1 || fail "node not found: install Node.js 20 or newer"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] || fail "Node.js $node_major is too old: install Node.js 20 or newer"

# Build output goes to stderr: with --print-env, stdout carries only the environment.
if [ "$build" -eq 1 ]; then
  if [ ! -d node_modules ] || ! npm ls --silent >/dev/null 2>&1; then
    npm ci --no-audit --no-fund >&2 || fail "npm ci failed (its output is above)"
  fi
  # The inputs of dist/ are those of test/support/build-dist.ts.
  if [ ! -f dist/bin/main.js ] ||
    [ -n "$(find src package.json tsconfig.build.json scripts/bundle.mjs -newer dist/bin/main.js -print -quit)" ]; then
    npm run --silent build >&2 || fail "npm run build failed (its output is above)"
  fi
fi
if [ ! -f dist/bin/main.js ] || [ ! -x node_modules/.bin/esbuild ]; then
  fail "dist/bin/main.js or node_modules is missing: run without --no-build (or npm ci && npm run build)"
fi

# The program uses the suite's TypeScript test support; esbuild bundles it (packages stay in node_modules, so the
# bundle lives under it). Written to a temporary name and renamed, so sandboxes starting at once never read a
# half-written bundle.
cache=node_modules/.cache/pullwarden-sandbox
mkdir -p "$cache"
bundle="$cache/sandbox.mjs"
if ! node_modules/.bin/esbuild scripts/sandbox/main.ts --bundle --platform=node --format=esm --target=node20 \
  --packages=external --log-level=warning --outfile="$bundle.$$.tmp.mjs"; then
  rm -f "$bundle.$$.tmp.mjs"
  fail "bundling scripts/sandbox/main.ts failed (esbuild's output is above)"
fi
mv -f "$bundle.$$.tmp.mjs" "$bundle"

exec node "$bundle" --cli "$PWD/dist/bin/main.js" "${args[@]}"
