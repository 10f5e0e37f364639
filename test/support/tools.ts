// Locating the real tools the integration tests drive. A missing tool is a test FAILURE, never a skip.
import { accessSync, constants, existsSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Absolute path of the repository root. */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export type ToolName =
  | "docker-registry"
  | "htpasswd"
  | "skopeo"
  | "containerd"
  | "ctr"
  | "runc"
  | "openssl"
  | "kubectl"
  | "qemu-aarch64";

const cache = new Map<string, string>();

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function searchPath(name: string): string | undefined {
  const dirs = (process.env.PATH ?? "").split(delimiter).filter(Boolean);
  // Root's tools may live in sbin directories that a minimal PATH lacks.
  for (const extra of ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]) {
    if (!dirs.includes(extra)) dirs.push(extra);
  }
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** The tool's absolute path, or undefined. kubectl also falls back to `.cache/kubectl/usr/bin/kubectl`. */
export function findTool(name: ToolName): string | undefined {
  const cached = cache.get(name);
  if (cached) return cached;
  let found = searchPath(name);
  if (!found && name === "kubectl") {
    const local = join(REPO_ROOT, ".cache", "kubectl", "usr", "bin", "kubectl");
    if (isExecutable(local)) found = local;
  }
  if (found) cache.set(name, found);
  return found;
}

/** The tool's absolute path; throws "NAME not found: run scripts/install-test-deps.sh" when it is missing. */
export function requireTool(name: ToolName): string {
  const found = findTool(name);
  if (!found) throw new Error(`${name} not found: run scripts/install-test-deps.sh`);
  return found;
}

/** Programs built from Go modules by scripts/build-go-tools.sh (pinned in go/), in `.cache/go-tools/bin/`. */
export type GoToolName =
  | "etcd"
  | "kube-apiserver"
  | "kube-controller-manager"
  | "kubectl"
  | "kubectl-1.32"
  | "helm"
  | "crane"
  | "krew"
  | "ecr-credential-provider"
  | "credprovider-harness";

/**
 * Where scripts/build-go-tools.sh links the programs it built: `$GO_TOOLS_CACHE/bin`, else the repository's
 * `.cache/go-tools/bin`, found from this module's place upwards (so a bundle of the harness, e.g. the sandbox's
 * under node_modules/.cache, finds it too), else from the working directory.
 */
function goToolsBin(): string {
  if (process.env.GO_TOOLS_CACHE) return join(process.env.GO_TOOLS_CACHE, "bin");
  for (const start of [fileURLToPath(new URL(".", import.meta.url)), process.cwd()]) {
    for (let dir = start; ; dir = dirname(dir)) {
      const candidate = join(dir, ".cache", "go-tools", "bin");
      if (existsSync(candidate)) return candidate;
      if (dirname(dir) === dir) break;
    }
  }
  return join(REPO_ROOT, ".cache", "go-tools", "bin");
}

/** A program built from Go modules; throws with the command that builds it when it is missing. */
export function requireGoTool(name: GoToolName): string {
  const bin = goToolsBin();
  const path = join(bin, name);
  if (!isExecutable(path))
    throw new Error(
      `${name} not found in ${bin}: run scripts/install-test-deps.sh (it builds the Go tools with scripts/build-go-tools.sh)`,
    );
  return path;
}
