/**
 * The node script for `cluster.credentialProvider: pullwarden`: run as root on every node, it installs
 * pullwarden-credential-provider (a link to the installed executable) and kubelet's CredentialProviderConfig,
 * and writes the plugin's static file
 * (docs/credential-provider.md "The static file") from the environment variables and files the layout names.
 *
 * Secrets never reach a command line, the terminal or this directory: the values are read by the shell itself
 * (`${VAR}`, `$(cat -- FILE)`), joined with `printf` (a builtin) and piped to `base64`, so every entry is
 * `{"auth": base64(username:password)}` and needs no JSON escaping; the file is written under umask 077 to a
 * temporary name in its directory, given to root with mode 0600 (the plugin refuses anything else), and renamed
 * over the old one, so the plugin never reads half a file. `set -x` is never used.
 */
import { CREDENTIAL_TYPE_LABELS } from "./credentials.js";
import {
  NODE_BIN_DIR,
  NODE_CONFIG_PATH,
  NODE_STATIC_CONFIG_PATH,
  PULLWARDEN_PROVIDER_NAME,
} from "./credential-provider.js";
import type { Plan, RegistryDecision } from "./plan-types.js";
import { shPath, shQuote } from "../text/index.js";

/** kubelet's flags for the plugin, as the script prints them and the README lists them. */
export const KUBELET_PROVIDER_FLAGS = `--image-credential-provider-config=${NODE_CONFIG_PATH} --image-credential-provider-bin-dir=${NODE_BIN_DIR}`;

/** The registries the static file serves: credential-provider decisions that carry a credential source. */
export function staticRegistries(plan: Plan): RegistryDecision[] {
  return plan.decisions.filter((d) => d.method === "credential-provider" && d.source !== undefined);
}

/** Environment variables the node script reads. */
export function nodeScriptEnv(plan: Plan): string[] {
  return staticRegistries(plan).flatMap((d) => (d.source?.kind === "env" ? [d.source.passwordEnv] : []));
}

function what(plan: Plan, decision: RegistryDecision): string {
  const type = plan.layout.registries.find((r) => r.name === decision.registry)?.credential?.type;
  return type ? CREDENTIAL_TYPE_LABELS[type] : "credential";
}

/** The shell lines of the script; `configFile` is the CredentialProviderConfig's name in this directory. */
export function nodeProviderScript(plan: Plan, configFile: string): string {
  const statics = staticRegistries(plan);
  const lines = [
    "#!/usr/bin/env bash",
    `# Sets up ${PULLWARDEN_PROVIDER_NAME} on this node: run it as root, from this directory, on every node (or in`,
    "# the node image build, cloud-init, Ansible). It installs the executable and kubelet's config, checks the config,",
    ...(statics.length > 0
      ? [
          `# and writes the registries' credentials into ${NODE_STATIC_CONFIG_PATH} (root-only), reading them from the`,
          "# environment and files named below; no value is printed or stored in this directory. Run it again after",
          "# renewing a credential (kubelet needs no restart for that).",
        ]
      : ["# and prints the kubelet flags to set."]),
    `# Needs the ${PULLWARDEN_PROVIDER_NAME} executable: PULLWARDEN_CREDENTIAL_PROVIDER, or the one on PATH.`,
    "set -euo pipefail",
    "umask 077",
    "",
    'if [ "$(id -u)" -ne 0 ]; then',
    `  echo "run this as root: kubelet runs the plugin as root, and the plugin reads only a static file owned by its own user" >&2`,
    "  exit 1",
    "fi",
    `provider="\${PULLWARDEN_CREDENTIAL_PROVIDER:-$(command -v ${PULLWARDEN_PROVIDER_NAME} || true)}"`,
    'if [ -z "$provider" ] || [ ! -x "$provider" ]; then',
    `  echo "${PULLWARDEN_PROVIDER_NAME} not found: install the pullwarden package (npm, needs Node.js 20) or set PULLWARDEN_CREDENTIAL_PROVIDER to the executable" >&2`,
    "  exit 1",
    "fi",
  ];
  if (statics.length > 0) {
    lines.push("", "# Every credential is there before anything changes.");
    for (const decision of statics) {
      const source = decision.source;
      if (source?.kind === "env") {
        lines.push(
          `: "\${${source.passwordEnv}:?set ${source.passwordEnv} to the ${what(plan, decision)} for ${decision.host}}"`,
        );
      } else if (source?.kind === "password-file") {
        lines.push(
          `if [ ! -s ${shPath(source.passwordFile)} ]; then`,
          `  echo ${shQuote(`${source.passwordFile} is missing or empty: it holds the ${what(plan, decision)} for ${decision.host}`)} >&2`,
          "  exit 1",
          "fi",
        );
      }
    }
  }
  lines.push(
    "",
    `install -d -m 0755 ${NODE_BIN_DIR}`,
    // A link, not a copy: the plugin loads the cloud SDKs from its package's node_modules when it mints ECR or
    // ACR tokens, and Node resolves them from the link's real path.
    `ln -sfn -- "$(readlink -f -- "$provider")" ${NODE_BIN_DIR}/${PULLWARDEN_PROVIDER_NAME}`,
    `install -D -m 0644 ${shQuote(configFile)} ${NODE_CONFIG_PATH}`,
  );
  if (statics.length > 0) {
    const dir = NODE_STATIC_CONFIG_PATH.slice(0, NODE_STATIC_CONFIG_PATH.lastIndexOf("/"));
    const entries = statics.map((decision, index) => {
      const source = decision.source;
      const password =
        source?.kind === "env"
          ? `"$${source.passwordEnv}"`
          : source?.kind === "password-file"
            ? `"$(cat -- ${shPath(source.passwordFile)})"`
            : '""';
      const username = source?.kind === "env" || source?.kind === "password-file" ? source.username : "";
      const comma = index < statics.length - 1 ? "," : "";
      return `  printf '    "%s": {"auth": "%s"}${comma}\\n' ${shQuote(decision.host)} "$(auth ${shQuote(username)} ${password})"`;
    });
    lines.push(
      "",
      "# The static file: each entry's auth is base64(username:password); written to a temporary file, then renamed.",
      "auth() {",
      "  printf '%s:%s' \"$1\" \"$2\" | base64 | tr -d '\\n'",
      "}",
      `install -d -m 0700 ${dir}`,
      `static="$(mktemp ${dir}/.registries.json.XXXXXX)"`,
      "trap 'rm -f -- \"$static\"' EXIT",
      "{",
      "  printf '{\\n  \"auths\": {\\n'",
      ...entries,
      "  printf '  }\\n}\\n'",
      '} >"$static"',
      'chown root:root "$static"',
      'chmod 0600 "$static"',
      `mv -f -- "$static" ${NODE_STATIC_CONFIG_PATH}`,
      "trap - EXIT",
    );
  }
  lines.push(
    "",
    "# kubelet's own rules, and the traps it accepts silently (the pullwarden CLI comes with the same package).",
    "if command -v pullwarden >/dev/null 2>&1; then",
    `  pullwarden credential-provider validate-config --strict ${NODE_CONFIG_PATH}`,
    "else",
    `  echo "pullwarden not on PATH: config not checked (pullwarden credential-provider validate-config --strict ${NODE_CONFIG_PATH})" >&2`,
    "fi",
    "",
    `echo ${shQuote(`${PULLWARDEN_PROVIDER_NAME} installed. If kubelet does not run with them yet, add these flags (kubeadm: KUBELET_EXTRA_ARGS in /etc/default/kubelet or /etc/sysconfig/kubelet) and restart it (systemctl restart kubelet): ${KUBELET_PROVIDER_FLAGS}`)}`,
  );
  return lines.join("\n") + "\n";
}
