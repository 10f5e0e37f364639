// `pullwarden credential-provider [validate-config|exec]`: arguments and flags, typed from this declaration.
// Light: program.ts loads ./run.ts only when a command runs. The plugin's own flags are those of the
// `pullwarden-credential-provider` executable (src/credential-provider/plugin-options.ts checks their values).
import { Command, Option } from "@commander-js/extra-typings";
import { collect, outputOption } from "../../flags/values.js";
import type { FlagsOf } from "../../flags/values.js";

/** Where plan's node README puts kubelet's config and the provider binaries (src/plan/credential-provider.ts). */
const DEFAULT_CONFIG = "/etc/kubernetes/image-credential-provider-config.yaml";
const DEFAULT_BIN_DIR = "/usr/local/lib/kubelet/credential-providers";

export function credentialProviderCommand() {
  return new Command("credential-provider")
    .description(
      "kubelet's image credential provider (as pullwarden-credential-provider): one CredentialProviderRequest on stdin, the response on stdout; ECR, ACR and static registries",
    )
    .argument("[get-credentials]", "accepted for configs that name it; the plugin has one action")
    .option(
      "--static-config <file>",
      "registries' credentials (auths of a docker config.json), root-only (mode 0600)",
    )
    .addOption(
      new Option("--cache-key-type <type>", "what kubelet caches a static answer under").choices([
        "Image",
        "Registry",
        "Global",
      ] as const),
    )
    .option(
      "--cache-duration <duration>",
      "how long kubelet caches a static answer without an expiry (default: the provider's defaultCacheDuration)",
    )
    .option(
      "--acr-login-server <host>",
      "an ACR under a custom domain (host[:port], repeatable): served as ACR",
      collect,
    );
}

export function credentialProviderValidateConfigCommand() {
  return new Command("validate-config")
    .description(
      "check a CredentialProviderConfig (file or directory) as kubelet does, and warn about the traps that leave Pods without credentials",
    )
    .argument(
      "<path>",
      "kubelet's --image-credential-provider-config: a file, or a directory of *.yaml/*.yml/*.json",
    )
    .addOption(outputOption(["text", "json"]).default("text"))
    .option("--strict", "exit 1 on warnings too", false);
}

export function credentialProviderExecCommand() {
  return new Command("exec")
    .description(
      "simulate kubelet for one image: which provider runs, the request, the response, what kubelet tries",
    )
    .requiredOption("--image <image>", "the image as a Pod names it")
    .option("--config <path>", "kubelet's CredentialProviderConfig (file or directory)", DEFAULT_CONFIG)
    .option("--bin-dir <dir>", "kubelet's --image-credential-provider-bin-dir", DEFAULT_BIN_DIR)
    .option("--sa-token <file>", "the Pod's ServiceAccount token, for providers with tokenAttributes")
    .option("--sa-annotation <key=value>", "an annotation of the Pod's ServiceAccount (repeatable)", collect)
    .addOption(outputOption(["text", "json"]).default("text"))
    .option("--show-secrets", "print the passwords instead of redacting them", false);
}

export type CredentialProviderFlags = FlagsOf<ReturnType<typeof credentialProviderCommand>>;
export type CredentialProviderValidateConfigFlags = FlagsOf<
  ReturnType<typeof credentialProviderValidateConfigCommand>
>;
export type CredentialProviderExecFlags = FlagsOf<ReturnType<typeof credentialProviderExecCommand>>;
