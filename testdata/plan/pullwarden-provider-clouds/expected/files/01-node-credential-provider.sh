#!/usr/bin/env bash
# Sets up pullwarden-credential-provider on this node: run it as root, from this directory, on every node (or in
# the node image build, cloud-init, Ansible). It installs the executable and kubelet's config, checks the config,
# and prints the kubelet flags to set.
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

install -d -m 0755 /usr/local/lib/kubelet/credential-providers
ln -sfn -- "$(readlink -f -- "$provider")" /usr/local/lib/kubelet/credential-providers/pullwarden-credential-provider
install -D -m 0644 01-kubelet-credential-providers.yaml /etc/kubernetes/image-credential-provider-config.yaml

# kubelet's own rules, and the traps it accepts silently (the pullwarden CLI comes with the same package).
if command -v pullwarden >/dev/null 2>&1; then
  pullwarden credential-provider validate-config --strict /etc/kubernetes/image-credential-provider-config.yaml
else
  echo "pullwarden not on PATH: config not checked (pullwarden credential-provider validate-config --strict /etc/kubernetes/image-credential-provider-config.yaml)" >&2
fi

echo 'pullwarden-credential-provider installed. If kubelet does not run with them yet, add these flags (kubeadm: KUBELET_EXTRA_ARGS in /etc/default/kubelet or /etc/sysconfig/kubelet) and restart it (systemctl restart kubelet): --image-credential-provider-config=/etc/kubernetes/image-credential-provider-config.yaml --image-credential-provider-bin-dir=/usr/local/lib/kubelet/credential-providers'
