// skopeo as an independent registry client: push (copy from an OCI layout) and inspect with an authfile.
// It runs with a private empty HOME/XDG_RUNTIME_DIR and its own policy.json, so no ambient credentials
// (~/.docker/config.json, $XDG_RUNTIME_DIR/containers/auth.json, REGISTRY_AUTH_FILE) can leak into a test.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCommand } from "./processes.js";
import type { CommandResult } from "./processes.js";
import type { Credentials } from "./registry.js";
import { makeScratchDir } from "./scratch.js";
import { requireTool } from "./tools.js";

export interface SkopeoResult extends CommandResult {
  ok: boolean;
}

let envDir: string | undefined;

function skopeoEnv(): { env: NodeJS.ProcessEnv; policy: string } {
  if (!envDir) {
    envDir = makeScratchDir("skopeo");
    mkdirSync(join(envDir, "home"), { recursive: true });
    mkdirSync(join(envDir, "run"), { recursive: true, mode: 0o700 });
    writeFileSync(
      join(envDir, "policy.json"),
      JSON.stringify({ default: [{ type: "insecureAcceptAnything" }] }),
    );
  }
  return {
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: join(envDir, "home"),
      XDG_RUNTIME_DIR: join(envDir, "run"),
      TMPDIR: process.env.TMPDIR ?? "/tmp",
    },
    policy: join(envDir, "policy.json"),
  };
}

/** `docker://` is added to references that have no transport. */
export function dockerRef(ref: string): string {
  return /^[a-z-]+:\/\//.test(ref) || ref.startsWith("oci:") ? ref : `docker://${ref}`;
}

async function skopeo(args: string[], timeoutMs = 60_000): Promise<SkopeoResult> {
  const { env, policy } = skopeoEnv();
  const res = await runCommand(requireTool("skopeo"), ["--policy", policy, ...args], { env, timeoutMs });
  return { ...res, ok: res.exitCode === 0 };
}

export interface PushOptions {
  creds?: Credentials;
  authfile?: string;
  /** Directory with ca.crt (Registry.certDir). Without it (and without tlsVerify:false) TLS must verify. */
  certDir?: string;
  tlsVerify?: boolean;
  /** Copy every manifest of an index (default true; harmless for single images). */
  all?: boolean;
  /** Manifest format to push (default: keep OCI). */
  format?: "oci" | "v2s2";
}

/** `skopeo copy <source> docker://<ref>`; `source` is a layout dir, an `oci:` reference or any transport. */
export async function pushImage(source: string, ref: string, opts: PushOptions = {}): Promise<SkopeoResult> {
  const src = source.startsWith("oci:") || /^[a-z-]+:\/\//.test(source) ? source : `oci:${source}`;
  const args = ["copy", "--quiet"];
  if (opts.all ?? true) args.push("--all");
  if (opts.format) args.push("--format", opts.format);
  if (opts.creds) args.push("--dest-creds", `${opts.creds.username}:${opts.creds.password}`);
  if (opts.authfile) args.push("--dest-authfile", opts.authfile);
  if (opts.certDir) args.push("--dest-cert-dir", opts.certDir);
  if (opts.tlsVerify !== undefined) args.push(`--dest-tls-verify=${opts.tlsVerify}`);
  args.push(src, dockerRef(ref));
  return skopeo(args);
}

/** Like pushImage, but throws with skopeo's stderr on failure. */
export async function pushImageOrThrow(source: string, ref: string, opts: PushOptions = {}): Promise<void> {
  const res = await pushImage(source, ref, opts);
  if (!res.ok) throw new Error(`skopeo copy ${source} → ${ref} failed (${res.exitCode}): ${res.stderr}`);
}

export interface InspectOptions {
  authfile?: string;
  creds?: Credentials;
  certDir?: string;
  tlsVerify?: boolean;
  /** `--raw`: print the manifest as stored. */
  raw?: boolean;
  /** `--no-creds`: access anonymously. */
  noCreds?: boolean;
}

/** `skopeo inspect [--authfile F] [--cert-dir D] docker://<ref>`. */
export async function skopeoInspect(ref: string, opts: InspectOptions = {}): Promise<SkopeoResult> {
  const args = ["inspect"];
  if (opts.raw) args.push("--raw");
  if (opts.authfile) args.push("--authfile", opts.authfile);
  if (opts.creds) args.push("--creds", `${opts.creds.username}:${opts.creds.password}`);
  if (opts.noCreds) args.push("--no-creds");
  if (opts.certDir) args.push("--cert-dir", opts.certDir);
  if (opts.tlsVerify !== undefined) args.push(`--tls-verify=${opts.tlsVerify}`);
  args.push(dockerRef(ref));
  return skopeo(args);
}
