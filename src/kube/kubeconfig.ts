/**
 * Kubeconfig loading with kubectl's rules (client-go's ClientConfigLoadingRules), not client-node's:
 * - `--kubeconfig FILE` wins and must exist; else every file of `KUBECONFIG` (`:`-separated; missing files are
 *   skipped) is merged, **the first file to define a name or a current-context wins**; else `~/.kube/config`;
 *   else, inside a Pod, the in-cluster service account (token, CA and namespace files).
 * - `--context NAME` must exist; the namespace is the context's, else `default` (callers apply `-n`).
 * client-node's own `loadFromDefault` differs (it throws on a name defined twice and lets the *last* file set
 * the current context), so only its per-file parsing is used here.
 */
import { readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import type { Cluster, Context, User } from "@kubernetes/client-node";
import { KubeConfigError } from "./errors.js";
import type { KubeTimeouts } from "./http.js";

/** Where pullwarden finds the cluster; all optional, as kubectl's flags. */
export interface KubeConnectionOptions {
  /** `--kubeconfig`: this file only (it must exist). */
  readonly kubeconfig?: string;
  /** `--context`: use this context instead of the current one. */
  readonly context?: string;
  /** The environment (KUBECONFIG, HOME, KUBERNETES_SERVICE_HOST/PORT). Default: process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Relative paths resolve here. Default: process.cwd(). */
  readonly cwd?: string;
  /** Directory of the in-cluster service account files. Default /var/run/secrets/kubernetes.io/serviceaccount. */
  readonly serviceAccountDir?: string;
  /** Bounds on each request (`requestMs` is kubectl's `--request-timeout`); DEFAULT_KUBE_TIMEOUTS otherwise. */
  readonly timeouts?: KubeTimeouts;
}

/** The cluster, user and namespace a loaded kubeconfig points at (no credentials). */
export interface KubeTarget {
  readonly context: string;
  readonly cluster: string;
  readonly server: string;
  /** The kubeconfig's user entry name (the API server may know the user by another name). */
  readonly user: string;
  /** The context's namespace, else `default`. */
  readonly namespace: string;
  /** The kubeconfig files read, in order, or `in-cluster`. */
  readonly sources: readonly string[];
  readonly inCluster: boolean;
}

export interface LoadedKubeConfig {
  readonly kubeConfig: KubeConfig;
  readonly target: KubeTarget;
}

const NOT_A_KUBECONFIG = "not a kubeconfig (expected a YAML mapping with clusters, users and contexts)";

export const IN_CLUSTER_SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

interface ConfigParts {
  clusters: Cluster[];
  users: User[];
  contexts: Context[];
  currentContext: string | undefined;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function expandHome(path: string, env: Readonly<Record<string, string | undefined>>): string {
  const home = env["HOME"];
  if (home && (path === "~" || path.startsWith("~/"))) return home + path.slice(1);
  return path;
}

function fsReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "is a directory, expected a file";
  return code ?? (error instanceof Error ? error.message : String(error));
}

/** Parses one kubeconfig file with client-node (relative certificate paths resolve against its directory). */
function readKubeconfigFile(path: string): ConfigParts {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new KubeConfigError(`cannot read kubeconfig ${path}: ${fsReason(error)}`, {
      cause: error,
      hint: "pass a readable file with --kubeconfig, or fix KUBECONFIG",
    });
  }
  if (text.trim() === "") return { clusters: [], users: [], contexts: [], currentContext: undefined };
  if (!/^\s*\{/.test(text) && !/^["']?[\w.-]+["']?\s*:/m.test(text)) {
    throw new KubeConfigError(`kubeconfig ${path}: ${NOT_A_KUBECONFIG}`, {
      hint: "check the file with: kubectl config view --kubeconfig " + path,
    });
  }
  const kc = new KubeConfig();
  try {
    kc.loadFromString(text, { onInvalidEntry: "throw" });
  } catch (error) {
    const name = (error as Error | undefined)?.name;
    const detail =
      name === "YAMLException"
        ? `not valid YAML: ${String((error as Error).message).split("\n")[0]}`
        : error instanceof TypeError
          ? NOT_A_KUBECONFIG
          : `invalid entry: ${(error as Error).message}`;
    throw new KubeConfigError(`kubeconfig ${path}: ${detail}`, {
      cause: error,
      hint: "check the file with: kubectl config view --kubeconfig " + path,
    });
  }
  kc.makePathsAbsolute(dirname(path));
  return {
    clusters: kc.getClusters(),
    users: kc.getUsers(),
    contexts: kc.getContexts(),
    currentContext: kc.getCurrentContext() || undefined,
  };
}

/** kubectl's merge: the first file to define a name (or the current context) wins; later duplicates are ignored. */
export function mergeKubeconfigParts(parts: readonly ConfigParts[]): ConfigParts {
  const merged: ConfigParts = { clusters: [], users: [], contexts: [], currentContext: undefined };
  const seen = { clusters: new Set<string>(), users: new Set<string>(), contexts: new Set<string>() };
  for (const part of parts) {
    merged.currentContext ??= part.currentContext;
    for (const key of ["clusters", "users", "contexts"] as const) {
      for (const entry of part[key]) {
        if (seen[key].has(entry.name)) continue;
        seen[key].add(entry.name);
        (merged[key] as { name: string }[]).push(entry);
      }
    }
  }
  return merged;
}

function inClusterParts(
  env: Readonly<Record<string, string | undefined>>,
  dir: string,
): { parts: ConfigParts; namespace: string | undefined } | undefined {
  const host = env["KUBERNETES_SERVICE_HOST"];
  const port = env["KUBERNETES_SERVICE_PORT"];
  if (!host || !port || !isFile(`${dir}/token`)) return undefined;
  const hostPart = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  let namespace: string | undefined;
  try {
    namespace = readFileSync(`${dir}/namespace`, "utf8").trim() || undefined;
  } catch {
    namespace = undefined;
  }
  const parts: ConfigParts = {
    clusters: [
      {
        name: "in-cluster",
        server: `https://${hostPart}:${port}`,
        caFile: `${dir}/ca.crt`,
        skipTLSVerify: false,
      },
    ],
    users: [
      { name: "in-cluster", authProvider: { name: "tokenFile", config: { tokenFile: `${dir}/token` } } },
    ],
    contexts: [
      { name: "in-cluster", cluster: "in-cluster", user: "in-cluster", ...(namespace ? { namespace } : {}) },
    ],
    currentContext: "in-cluster",
  };
  return { parts, namespace };
}

function describeSources(sources: readonly string[]): string {
  return sources.length === 1 ? (sources[0] as string) : sources.join(", ");
}

/** Loads the kubeconfig as kubectl would and selects the context. Throws KubeConfigError with a next step. */
export function loadKubeConfig(options: KubeConnectionOptions = {}): LoadedKubeConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const abs = (path: string) => resolve(cwd, expandHome(path, env));
  let sources: string[];
  let parts: ConfigParts;
  let inCluster = false;

  if (options.kubeconfig !== undefined && options.kubeconfig !== "") {
    const path = abs(options.kubeconfig);
    sources = [path];
    parts = readKubeconfigFile(path);
  } else {
    const list = (env["KUBECONFIG"] ?? "").split(":").filter((p) => p !== "");
    const candidates = list.length > 0 ? list.map(abs) : env["HOME"] ? [abs("~/.kube/config")] : [];
    sources = candidates.filter(isFile);
    if (sources.length > 0) {
      parts = mergeKubeconfigParts(sources.map(readKubeconfigFile));
    } else {
      const cluster = inClusterParts(env, options.serviceAccountDir ?? IN_CLUSTER_SERVICE_ACCOUNT_DIR);
      if (!cluster) {
        const looked =
          list.length > 0
            ? `KUBECONFIG names only missing files (${candidates.join(", ")})`
            : candidates.length > 0
              ? `${candidates[0]} does not exist and KUBECONFIG is not set`
              : "KUBECONFIG and HOME are not set";
        throw new KubeConfigError(`no kubeconfig found: ${looked}, and this is not a Pod in a cluster`, {
          hint: "pass --kubeconfig FILE, set KUBECONFIG, or run where kubectl works",
        });
      }
      parts = cluster.parts;
      sources = ["in-cluster"];
      inCluster = true;
    }
  }

  const where = describeSources(sources);
  const available = parts.contexts.map((c) => c.name);
  const availableText =
    available.length > 0 ? `available: ${available.join(", ")}` : "it defines no contexts";
  const contextName = options.context || parts.currentContext;
  if (!contextName) {
    throw new KubeConfigError(`kubeconfig ${where} has no current context; ${availableText}`, {
      hint:
        available.length > 0
          ? `pass --context NAME, or set one with: kubectl config use-context ${available[0]}`
          : "add a context with kubectl config set-context",
    });
  }
  const context = parts.contexts.find((c) => c.name === contextName);
  if (!context) {
    throw new KubeConfigError(`context "${contextName}" not found in kubeconfig ${where}; ${availableText}`, {
      hint: "list contexts with: kubectl config get-contexts",
    });
  }
  const cluster = parts.clusters.find((c) => c.name === context.cluster);
  if (!cluster) {
    throw new KubeConfigError(
      `context "${context.name}" uses cluster "${context.cluster}", which kubeconfig ${where} does not define`,
      { hint: "fix the context with: kubectl config set-context " + context.name + " --cluster NAME" },
    );
  }
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: parts.clusters,
    users: parts.users,
    contexts: parts.contexts,
    currentContext: context.name,
  });
  return {
    kubeConfig,
    target: {
      context: context.name,
      cluster: cluster.name,
      server: cluster.server,
      user: context.user,
      namespace: context.namespace || "default",
      sources,
      inCluster,
    },
  };
}
