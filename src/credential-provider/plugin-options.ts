/**
 * The plugin's command line, as kubelet passes it from the provider's `args` in its CredentialProviderConfig:
 * `[get-credentials] [--static-config FILE] [--cache-key-type Image|Registry|Global] [--cache-duration D]
 * [--acr-login-server HOST]...`.
 * Parsed with node:util's parseArgs (no commander: the plugin is exec'd per cache miss and must start fast).
 */
import { parseArgs } from "node:util";
import { parseGoDuration } from "../duration.js";
import { UsageError } from "../errors.js";
import { CACHE_KEY_TYPES, isCacheKeyType } from "./protocol.js";
import type { CacheKeyType } from "./protocol.js";

export interface PluginOptions {
  readonly staticConfig?: string;
  readonly cacheKeyType?: CacheKeyType;
  /** A Go duration, as written. */
  readonly cacheDuration?: string;
  /** ACR login servers under a custom domain (`host[:port]`), served as ACR. */
  readonly acrLoginServers?: readonly string[];
}

export type PluginCommand =
  | { readonly kind: "serve"; readonly options: PluginOptions }
  | { readonly kind: "help" }
  | { readonly kind: "version" };

export const PLUGIN_USAGE = `Usage: pullwarden-credential-provider [get-credentials] [--static-config FILE] [--cache-key-type Image|Registry|Global] [--cache-duration DURATION] [--acr-login-server HOST]...

kubelet's image credential provider (credentialprovider.kubelet.k8s.io v1, v1beta1, v1alpha1): reads one
CredentialProviderRequest on stdin and prints the CredentialProviderResponse. Serves ECR and ACR images with the
node's identity or the Pod's ServiceAccount token, and the registries of a static docker config.json-style file.

  --static-config FILE      registries' credentials (auths of a docker config.json), root-only (mode 0600)
  --cache-key-type TYPE     what kubelet caches a static answer under: Image, Registry (default) or Global
  --cache-duration DURATION how long kubelet caches a static answer without an expiry (default: the
                            provider's defaultCacheDuration)
  --acr-login-server HOST   an ACR under a custom domain (host[:port], repeatable): served as ACR
  --version                 print the version
  -h, --help                show this help

Exit codes: 0 answered (an empty auth for images not served); 1 failed, with one line on stderr.
Docs: docs/credential-provider.md`;

/** Checks the values kubelet would otherwise trip over at every pull; shared with `pullwarden credential-provider`. */
export function checkPluginOptions(options: {
  staticConfig?: string | undefined;
  cacheKeyType?: string | undefined;
  cacheDuration?: string | undefined;
  acrLoginServers?: readonly string[] | undefined;
}): PluginOptions {
  if (options.cacheKeyType !== undefined && !isCacheKeyType(options.cacheKeyType)) {
    throw new UsageError(`--cache-key-type must be one of ${CACHE_KEY_TYPES.join(", ")}`);
  }
  if (options.cacheDuration !== undefined) {
    const ms = parseGoDuration(options.cacheDuration);
    if (ms === undefined || ms < 0) {
      throw new UsageError("--cache-duration must be a Go duration of at least 0, such as 30m or 1h0m0s");
    }
  }
  if (options.staticConfig === "") throw new UsageError("--static-config needs a file");
  return {
    ...(options.staticConfig !== undefined ? { staticConfig: options.staticConfig } : {}),
    ...(options.cacheKeyType !== undefined ? { cacheKeyType: options.cacheKeyType as CacheKeyType } : {}),
    ...(options.cacheDuration !== undefined ? { cacheDuration: options.cacheDuration } : {}),
    ...(options.acrLoginServers?.length
      ? { acrLoginServers: options.acrLoginServers.map((host) => host.toLowerCase()) }
      : {}),
  };
}

export function parsePluginArgs(args: readonly string[]): PluginCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: {
        "static-config": { type: "string" },
        "cache-key-type": { type: "string" },
        "cache-duration": { type: "string" },
        "acr-login-server": { type: "string", multiple: true },
        version: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new UsageError(
      error instanceof Error ? (error.message.split("\n")[0] ?? "bad arguments") : "bad arguments",
      {
        hint: "see pullwarden-credential-provider --help",
      },
    );
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  // `get-credentials` is accepted as the command kubelet configs often name (docs/credential-provider.md).
  const extra = positionals.filter((positional, index) => !(index === 0 && positional === "get-credentials"));
  if (extra.length > 0) {
    throw new UsageError(`unexpected argument ${JSON.stringify(extra[0]?.slice(0, 40))}`, {
      hint: "see pullwarden-credential-provider --help",
    });
  }
  return {
    kind: "serve",
    options: checkPluginOptions({
      staticConfig: values["static-config"],
      cacheKeyType: values["cache-key-type"],
      cacheDuration: values["cache-duration"],
      acrLoginServers: values["acr-login-server"],
    }),
  };
}
