#!/usr/bin/env bash
# Sets up pullwarden-credential-provider on this node: run it as root, from this directory, on every node (or in
# the node image build, cloud-init, Ansible). It installs the executable and kubelet's config, checks the config,
# and writes the registries' credentials into /etc/pullwarden/registries.json (root-only), reading them from the
# environment and files named below; no value is printed or stored in this directory. Run it again after
# renewing a credential (kubelet needs no restart for that).
# Needs the pullwarden-credential-provider executable: PULLWARDEN_CREDENTIAL_PROVIDER, or the one on PATH.
set -euo pipefail
umask 077

if [ "$(id -u)" -ne 0 ]; then
  echo "run this as root: kubelet runs the plugin as root, and the plugin reads only a static file owned by its own user" >&2
  exit 1
fi
provider="${PULLWARDEN_CREDENTIAL_PROVIDER:-$(command -v pullwarden-credential-provider || true)}"
if [ -z "$provider" ] || [ ! -x "$provider" ]; then
  echo "pullwarden-credential-provider not found: install the pullwarden package (npm, needs Node.js 20) or set PULLWARDEN_CREDENTIAL_PROVIDER to the executable" >&2
  exit 1
fi

# Every credential is there before anything changes.
: "${GHCR_TOKEN:?set GHCR_TOKEN to the classic personal access token for ghcr.io}"
if [ ! -s /run/secrets/harbor-robot ]; then
  echo '/run/secrets/harbor-robot is missing or empty: it holds the robot account for harbor.factory.example:8443' >&2
  exit 1
fi
: "${DOCKERHUB_TOKEN:?set DOCKERHUB_TOKEN to the Docker Hub personal access token for docker.io}"

install -d -m 0755 /usr/local/lib/kubelet/credential-providers
ln -sfn -- "$(readlink -f -- "$provider")" /usr/local/lib/kubelet/credential-providers/pullwarden-credential-provider
install -D -m 0644 01-kubelet-credential-providers.yaml /etc/kubernetes/image-credential-provider-config.yaml

# The static file: each entry's auth is base64(username:password); written to a temporary file, then renamed.
auth() {
  printf '%s:%s' "$1" "$2" | base64 | tr -d '\n'
}
install -d -m 0700 /etc/pullwarden
static="$(mktemp /etc/pullwarden/.registries.json.XXXXXX)"
trap 'rm -f -- "$static"' EXIT
{
  printf '{\n  "auths": {\n'
  printf '    "%s": {"auth": "%s"},\n' ghcr.io "$(auth acme-bot "$GHCR_TOKEN")"
  printf '    "%s": {"auth": "%s"},\n' harbor.factory.example:8443 "$(auth "robot\$line+pull" "$(cat -- /run/secrets/harbor-robot)")"
  printf '    "%s": {"auth": "%s"}\n' docker.io "$(auth acmebot "$DOCKERHUB_TOKEN")"
  printf '  }\n}\n'
} >"$static"
chown root:root "$static"
chmod 0600 "$static"
mv -f -- "$static" /etc/pullwarden/registries.json
trap - EXIT

# kubelet's own rules, and the traps it accepts silently (the pullwarden CLI comes with the same package).
if command -v pullwarden >/dev/null 2>&1; then
  pullwarden credential-provider validate-config --strict /etc/kubernetes/image-credential-provider-config.yaml
else
  echo "pullwarden not on PATH: config not checked (pullwarden credential-provider validate-config --strict /etc/kubernetes/image-credential-provider-config.yaml)" >&2
fi

echo 'pullwarden-credential-provider installed. If kubelet does not run with them yet, add these flags (kubeadm: KUBELET_EXTRA_ARGS in /etc/default/kubelet or /etc/sysconfig/kubelet) and restart it (systemctl restart kubelet): --image-credential-provider-config=/etc/kubernetes/image-credential-provider-config.yaml --image-credential-provider-bin-dir=/usr/local/lib/kubelet/credential-providers'
