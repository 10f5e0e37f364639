// containerd 1.6 (Debian) as root with its own root/state/socket under a scratch dir, and a certs.d whose
// hosts.toml files make its CRI plugin pull from the test registries over TLS with the test CA.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { criVersion } from "./cri-client.js";
import { waitUntil } from "./net.js";
import { runCommand, startServer } from "./processes.js";
import type { CommandResult } from "./processes.js";
import { makeScratchDir, removeScratchDir } from "./scratch.js";
import { requireTool } from "./tools.js";

/** What containerd needs to know about a registry (a Registry fits). */
export interface RegistryEndpoint {
  host: string;
  url: string;
  caFile: string | undefined;
}

export interface ContainerdOptions {
  registries?: RegistryEndpoint[];
  /** CRI snapshotter (default "overlayfs"; "native" works everywhere). */
  snapshotter?: "overlayfs" | "native";
  logLevel?: "debug" | "info" | "warn" | "error";
}

export interface Containerd {
  /** Absolute path of the gRPC socket (CRI and containerd API). */
  socket: string;
  /** `unix://<socket>`. */
  endpoint: string;
  dir: string;
  root: string;
  state: string;
  /** The CRI registry `config_path` (certs.d). */
  certsDir: string;
  /** CRI images live in this containerd namespace. */
  namespace: "k8s.io";
  /** Writes certs.d/<host>/hosts.toml for a registry (picked up by the next pull, no restart). */
  addRegistry(registry: RegistryEndpoint): void;
  /** Runs `ctr --address <socket> [-n k8s.io] ARGS`. */
  ctr(args: string[], opts?: { namespace?: string }): Promise<CommandResult>;
  logs(): string;
  stop(): Promise<void>;
}

function tomlString(value: string): string {
  return JSON.stringify(value);
}

/**
 * A hosts.toml that containerd 1.6.20 accepts for a TLS registry on 127.0.0.1: BOTH the top-level server+ca and
 * a [host."https://..."] table are needed (without the table it falls back to plain HTTP; without the top-level
 * ca a fall-through to `server` fails TLS verification).
 */
export function hostsToml(registry: RegistryEndpoint): string {
  const lines = [`server = ${tomlString(registry.url)}`];
  if (registry.caFile) lines.push(`ca = ${tomlString(registry.caFile)}`);
  lines.push("", `[host.${tomlString(registry.url)}]`, `  capabilities = ["pull", "resolve", "push"]`);
  if (registry.caFile) lines.push(`  ca = ${tomlString(registry.caFile)}`);
  return `${lines.join("\n")}\n`;
}

export async function startContainerd(opts: ContainerdOptions = {}): Promise<Containerd> {
  const bin = requireTool("containerd");
  requireTool("runc");
  const dir = makeScratchDir("ctrd");
  const root = join(dir, "root");
  const state = join(dir, "state");
  const certsDir = join(dir, "certs.d");
  const socket = join(dir, "containerd.sock");
  for (const d of [
    root,
    state,
    certsDir,
    join(dir, "tmp"),
    join(dir, "opt"),
    join(dir, "cni", "net.d"),
    join(dir, "cni", "bin"),
  ]) {
    mkdirSync(d, { recursive: true });
  }

  const addRegistry = (registry: RegistryEndpoint): void => {
    const hostDir = join(certsDir, registry.host);
    mkdirSync(hostDir, { recursive: true });
    writeFileSync(join(hostDir, "hosts.toml"), hostsToml(registry));
  };
  for (const r of opts.registries ?? []) addRegistry(r);

  const cri = `plugins."io.containerd.grpc.v1.cri"`;
  const config = [
    "version = 2",
    `root = ${tomlString(root)}`,
    `state = ${tomlString(state)}`,
    `temp = ${tomlString(join(dir, "tmp"))}`,
    `disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]`,
    "",
    "[grpc]",
    `  address = ${tomlString(socket)}`,
    "[ttrpc]",
    `  address = ${tomlString(`${socket}.ttrpc`)}`,
    "[debug]",
    `  level = ${tomlString(opts.logLevel ?? "info")}`,
    "",
    `[plugins."io.containerd.internal.v1.opt"]`,
    `  path = ${tomlString(join(dir, "opt"))}`,
    `[${cri}]`,
    `  stream_server_address = "127.0.0.1"`,
    `  stream_server_port = "0"`,
    `  disable_tcp_service = true`,
    `[${cri}.containerd]`,
    `  snapshotter = ${tomlString(opts.snapshotter ?? "overlayfs")}`,
    `[${cri}.cni]`,
    `  conf_dir = ${tomlString(join(dir, "cni", "net.d"))}`,
    `  bin_dir = ${tomlString(join(dir, "cni", "bin"))}`,
    `[${cri}.registry]`,
    `  config_path = ${tomlString(certsDir)}`,
    "",
  ].join("\n");
  const configFile = join(dir, "config.toml");
  writeFileSync(configFile, config);

  const proc = startServer(bin, ["--config", configFile], {
    env: { PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin", HOME: dir, TMPDIR: join(dir, "tmp") },
  });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await proc.stop(10_000);
    removeScratchDir(dir); // unmounts anything left under root first
  };
  try {
    await waitUntil(
      `containerd CRI on ${socket}`,
      async () => (await criVersion(socket, 1_000)).runtime_name === "containerd",
      {
        timeoutMs: 20_000,
        intervalMs: 100,
        abortIf: () => (proc.exited() ? "containerd exited" : undefined),
        describe: () => `containerd log:\n${proc.logs()}`,
      },
    );
  } catch (e) {
    await stop();
    throw e;
  }

  return {
    socket,
    endpoint: `unix://${socket}`,
    dir,
    root,
    state,
    certsDir,
    namespace: "k8s.io",
    addRegistry,
    ctr: (args, o = {}) =>
      runCommand(requireTool("ctr"), ["--address", socket, "--namespace", o.namespace ?? "k8s.io", ...args]),
    logs: () => proc.logs(),
    stop,
  };
}
