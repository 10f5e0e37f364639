#!/usr/bin/env bash
# Builds the real Go programs the tests run against, pinned by the modules under go/ (one go.mod + go.sum per
# tool group, committed), into .cache/go-tools/ (gitignored):
#
#   kubernetes               kube-apiserver, kube-controller-manager, kubectl (k8s.io/kubernetes v1.37.2) and
#                            credprovider-harness (kubelet's pkg/credentialprovider/plugin, go/kubernetes/credprovider-harness)
#   etcd                     etcd (go.etcd.io/etcd/server/v3 v3.7.0, the release Kubernetes v1.37.2 is tested with)
#   kubectl-1.32             kubectl-1.32 (k8s.io/kubernetes v1.32.4, an older kubectl for the goldens)
#   helm                     helm (helm.sh/helm/v4 v4.3.2)
#   crane                    crane (github.com/google/go-containerregistry v0.22.1)
#   krew                     krew (sigs.k8s.io/krew v0.4.3, the kubectl plugin manager: test/release/krew.test.ts)
#   ecr-credential-provider  ecr-credential-provider (k8s.io/cloud-provider-aws v1.37.1)
#
# Each group is cached in .cache/go-tools/<group>-<key>/ where the key hashes the Go version, GOOS/GOARCH, the
# build flags below and the group's go.mod, go.sum and sources: a warm run only checks the keys (seconds) and
# says it reused the cache. .cache/go-tools/bin/ holds a symlink per program to the current build.
# Go's own caches (GOMODCACHE, GOCACHE) are used as usual, so a rebuild after a pin change compiles only what
# changed.
#
# A build failure fails the script, printing the command and Go's error; nothing falls back to another binary.
#
# Usage: scripts/build-go-tools.sh [GROUP...]   (default: every group)
#        scripts/build-go-tools.sh --print-replaces VERSION   (the replace block for go/kubernetes/go.mod)
# Env:   GO (default: go on PATH, else /usr/local/go/bin/go), GO_TOOLS_CACHE (default: <repo>/.cache/go-tools)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
go_dir="$repo_root/go"
cache_root="${GO_TOOLS_CACHE:-$repo_root/.cache/go-tools}"
bin_dir="$cache_root/bin"
# Bump when the way binaries are built changes (invalidates every group's cache).
script_rev=1

log() { echo "build-go-tools: $*"; }
die() {
  echo "build-go-tools: ERROR: $*" >&2
  exit 1
}
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

GO="${GO:-}"
if [[ -z "$GO" ]]; then
  if command -v go >/dev/null 2>&1; then GO="$(command -v go)"; elif [[ -x /usr/local/go/bin/go ]]; then GO=/usr/local/go/bin/go; else
    die "no Go toolchain: install Go 1.26 (expected go on PATH or /usr/local/go/bin/go), or set GO=/path/to/go"
  fi
fi
go_version="$("$GO" env GOVERSION)" || die "'$GO env GOVERSION' failed"
case "$go_version" in
  go1.2[6-9]* | go1.[3-9][0-9]*) ;;
  *) die "$GO is $go_version; these modules need Go 1.26 or newer" ;;
esac

if [[ "${1:-}" == "--print-replaces" ]]; then
  version="${2:?usage: --print-replaces v1.37.2}"
  dir="$(cd /tmp && "$GO" mod download -json "k8s.io/kubernetes@$version" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
  [[ -n "$dir" ]] || die "go mod download k8s.io/kubernetes@$version failed"
  staging="v0.${version#v1.}"
  echo "replace ("
  sed -nE "s#^\s*(k8s.io/[a-z0-9-]+) => ./staging/src/.*#\t\1 => \1 $staging#p" "$dir/go.mod"
  echo ")"
  exit 0
fi

# Build settings shared by every group: static, reproducible, stripped; run at low priority (2 shared cores).
export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS="-buildvcs=false -mod=readonly"
build_flags=(-trimpath)
base_ldflags="-s -w"

k8s_version_ldflags() { # VERSION
  local v="$1" major minor flags="" pkg
  major="${v#v}"
  major="${major%%.*}"
  minor="${v#v*.}"
  minor="${minor%%.*}"
  for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
    flags+=" -X $pkg.gitVersion=$v -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    flags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  echo "$flags"
}

# group -> "output-name=package ..." and extra ldflags
declare -A programs ldflags
programs[kubernetes]="kube-apiserver=k8s.io/kubernetes/cmd/kube-apiserver kube-controller-manager=k8s.io/kubernetes/cmd/kube-controller-manager kubectl=k8s.io/kubernetes/cmd/kubectl credprovider-harness=./credprovider-harness"
ldflags[kubernetes]="$(k8s_version_ldflags v1.37.2)"
programs[etcd]="etcd=go.etcd.io/etcd/server/v3"
ldflags[etcd]=""
programs[kubectl-1.32]="kubectl-1.32=k8s.io/kubernetes/cmd/kubectl"
ldflags[kubectl-1.32]="$(k8s_version_ldflags v1.32.4)"
programs[helm]="helm=helm.sh/helm/v4/cmd/helm"
ldflags[helm]="-X helm.sh/helm/v4/internal/version.version=v4.3.2 -X helm.sh/helm/v4/internal/version.gitTreeState=clean"
programs[crane]="crane=github.com/google/go-containerregistry/cmd/crane"
ldflags[crane]="-X github.com/google/go-containerregistry/cmd/crane/cmd.Version=v0.22.1"
programs[krew]="krew=sigs.k8s.io/krew/cmd/krew"
ldflags[krew]="-X sigs.k8s.io/krew/internal/version.gitTag=v0.4.3"
programs[ecr-credential-provider]="ecr-credential-provider=k8s.io/cloud-provider-aws/cmd/ecr-credential-provider"
ldflags[ecr-credential-provider]="-X k8s.io/component-base/version.gitVersion=v1.37.1 -X main.gitVersion=v1.37.1"
all_groups=(etcd kubernetes kubectl-1.32 helm crane ecr-credential-provider krew)

groups=("$@")
[[ "${#groups[@]}" -gt 0 ]] || groups=("${all_groups[@]}")
for g in "${groups[@]}"; do
  [[ -n "${programs[$g]:-}" ]] || die "unknown group '$g' (groups: ${all_groups[*]})"
  [[ -f "$go_dir/$g/go.mod" && -f "$go_dir/$g/go.sum" ]] || die "$go_dir/$g/go.mod or go.sum is missing"
done

group_key() { # GROUP -> hash of everything that decides the binaries
  local g="$1"
  {
    echo "rev=$script_rev go=$go_version $("$GO" env GOOS GOARCH | tr '\n' ' ')"
    echo "flags=${build_flags[*]} ldflags=$base_ldflags ${ldflags[$g]} cgo=$CGO_ENABLED"
    echo "programs=${programs[$g]}"
    (cd "$go_dir/$g" && find . -type f \( -name '*.go' -o -name go.mod -o -name go.sum \) | LC_ALL=C sort | xargs sha256sum)
  } | sha256sum | cut -c1-16
}

mkdir -p "$bin_dir"
total_start="$(now)"
log "Go $go_version ($GO); cache $cache_root"
for g in "${groups[@]}"; do
  key="$(group_key "$g")"
  out="$cache_root/$g-$key"
  names=()
  for p in ${programs[$g]}; do names+=("${p%%=*}"); done
  if [[ -f "$out/.complete" ]]; then
    log "$g: reused cache ($g-$key: ${names[*]})"
  else
    rm -rf "$out.tmp"
    mkdir -p "$out.tmp"
    start="$(now)"
    log "$g: downloading modules (go mod download, pinned by go/$g/go.sum)"
    if ! (cd "$go_dir/$g" && "$GO" mod download) >"$out.tmp/download.log" 2>&1; then
      cat "$out.tmp/download.log" >&2
      die "$g: 'cd go/$g && $GO mod download' failed (output above)"
    fi
    log "$g: modules ready in $(elapsed "$start")"
    for p in ${programs[$g]}; do
      name="${p%%=*}"
      pkg="${p#*=}"
      start="$(now)"
      cmd=(nice -n 10 "$GO" build "${build_flags[@]}" -ldflags "$base_ldflags ${ldflags[$g]}" -o "$out.tmp/$name" "$pkg")
      log "$g: building $name ($pkg)"
      if ! (cd "$go_dir/$g" && "${cmd[@]}") >"$out.tmp/build-$name.log" 2>&1; then
        cat "$out.tmp/build-$name.log" >&2
        die "$g: building $name failed: (cd go/$g && ${cmd[*]}) (output above)"
      fi
      log "$g: built $name in $(elapsed "$start")"
    done
    touch "$out.tmp/.complete"
    # Older builds of this group (other keys) are dropped: only the pinned one is kept.
    for old in "$cache_root/$g"-*; do
      if [[ -d "$old" && "$(basename "$old")" =~ ^${g}-[0-9a-f]{16}$ ]]; then rm -rf "$old"; fi
    done
    mv "$out.tmp" "$out"
  fi
  for name in "${names[@]}"; do
    [[ -x "$out/$name" ]] || die "$g: $out/$name is missing from a build marked complete: remove $out and rerun"
    ln -sfn "../$g-$key/$name" "$bin_dir/$name"
  done
done

# Each program must run (catches a binary that built but cannot start here).
for g in "${groups[@]}"; do
  for p in ${programs[$g]}; do
    name="${p%%=*}"
    case "$name" in
      kubectl | kubectl-1.32) args=(version --client) ;;
      helm | crane | krew) args=(version) ;;
      credprovider-harness) args=(-help) ;; # exits 0 after printing its flags
      *) args=(--version) ;;
    esac
    [[ "$name" == ecr-credential-provider ]] && args=(--help)
    if ! output="$("$bin_dir/$name" "${args[@]}" 2>&1)"; then
      echo "$output" >&2
      die "$bin_dir/$name ${args[*]} failed"
    fi
  done
done
log "versions: etcd $("$bin_dir/etcd" --version 2>/dev/null | head -n1 | awk '{print $NF}' || true)," \
  "kube-apiserver $("$bin_dir/kube-apiserver" --version 2>/dev/null | awk '{print $2}' || true)," \
  "kubectl $("$bin_dir/kubectl" version --client 2>/dev/null | sed -n 's/Client Version: //p' || true)," \
  "kubectl-1.32 $("$bin_dir/kubectl-1.32" version --client 2>/dev/null | sed -n 's/Client Version: //p' || true)," \
  "helm $("$bin_dir/helm" version --short 2>/dev/null || true)," \
  "crane $("$bin_dir/crane" version 2>/dev/null || true)"
log "done in $(elapsed "$total_start"); binaries in $bin_dir"
