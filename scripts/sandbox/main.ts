// pullwarden's sandbox: an API server and a private registry on 127.0.0.1 holding a realistic broken setup, so
// `doctor`, `audit --cluster`, `apply` and `check` can be tried without a cluster. Run through scripts/sandbox.sh,
// which builds the CLI, bundles this program and passes `--cli PATH` (the built CLI) first. docs/sandbox.md.
import { spawn } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { constants } from "node:os";
import { join } from "node:path";
import { printSecretYaml } from "../../src/manifest/index.js";
import { makeScratchDir, removeScratchDir } from "../../test/support/scratch.js";
import { startControlPlane } from "./control-plane.js";
import type { ControlPlane } from "./control-plane.js";
import { kubeWriter } from "./kube-writer.js";
import { randomPassword, startSandboxRegistry } from "./registry.js";
import type { SandboxRegistry } from "./registry.js";
import {
  MISSING_SECRET_NAME,
  PULL_SECRET_NAME,
  SCENARIO_REPOSITORIES,
  nodeHeartbeat,
  pullSecret,
  seedScenario,
} from "./scenario.js";

/** How often the node's heartbeat is stamped (kubelet reports status at least every 5 min). */
const HEARTBEAT_MS = 60_000;
/** A stop that takes longer is cut short; process exit then kills what is left. */
const STOP_LIMIT_MS = 10_000;

interface Options {
  /** The built CLI (`dist/bin/main.js`) the `pullwarden` shim runs. */
  cli: string;
  printEnv: boolean;
  /** One-shot: run this command against the sandbox, then stop. Empty: run until stopped. */
  command: string[];
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { cli: "", printEnv: false, command: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      options.command = argv.slice(i + 1);
      if (options.command.length === 0) throw new UsageError("-- must be followed by a command to run");
      break;
    }
    if (arg === "--print-env") options.printEnv = true;
    else if (arg === "--cli" && argv[i + 1] !== undefined) options.cli = argv[++i] ?? "";
    else throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
  }
  if (!options.cli) throw new UsageError("--cli PATH is required (scripts/sandbox.sh passes it)");
  return options;
}

interface Sandbox {
  dir: string;
  registry: string;
  image: string;
  caFile: string;
  username: string;
  passwordFile: string;
  pullSecretFile: string;
  /** What a shell needs to use the sandbox: KUBECONFIG, PATH (with `pullwarden`), PULLWARDEN_SANDBOX_*. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Single-quoted for POSIX shells. */
function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

function writePrivate(path: string, content: string): string {
  writeFileSync(path, content, { mode: 0o600 });
  return path;
}

/** `<dir>/bin/pullwarden`, so the printed commands work in any shell without `npm link`. */
function writeCliShim(binDir: string, cli: string): void {
  mkdirSync(binDir, { recursive: true });
  const shim = join(binDir, "pullwarden");
  writeFileSync(shim, `#!/bin/sh\nexec ${shellQuote(process.execPath)} ${shellQuote(cli)} "$@"\n`);
  chmodSync(shim, 0o755);
}

async function startSandbox(cli: string, userTmpdir: string | undefined): Promise<Sandbox> {
  const dir = makeScratchDir("sandbox");
  // Every scratch directory of the harness (registry data, TLS material, skopeo's home) goes inside this one,
  // so stopping removes one directory, and a crash leaves at most one behind.
  process.env.TMPDIR = dir;
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    stops.length = 0;
    removeScratchDir(dir);
  };
  try {
    const starting = await Promise.allSettled([
      startControlPlane(dir),
      startSandboxRegistry(dir, SCENARIO_REPOSITORIES),
    ]);
    for (const s of starting) if (s.status === "fulfilled") stops.push(() => s.value.stop());
    const failed = starting.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failed) throw failed.reason;
    const controlPlane = (starting[0] as PromiseFulfilledResult<ControlPlane>).value;
    const registry = (starting[1] as PromiseFulfilledResult<SandboxRegistry>).value;

    const writer = kubeWriter(controlPlane.kubeconfigPath);
    const node = await seedScenario(writer, { registry, wrongPassword: randomPassword() });
    const heartbeat = setInterval(() => {
      nodeHeartbeat(writer, node, new Date()).catch(() => {});
    }, HEARTBEAT_MS);
    heartbeat.unref();
    stops.push(async () => clearInterval(heartbeat));

    const caFile = join(dir, "registry-ca.crt");
    copyFileSync(registry.caFile, caFile);
    const passwordFile = writePrivate(join(dir, "registry-password"), registry.user.password);
    const pullSecretFile = writePrivate(
      join(dir, "pull-secret.yaml"),
      printSecretYaml(pullSecret(PULL_SECRET_NAME, undefined, registry.host, registry.user), {
        creationTimestampNull: false,
      }),
    );
    const binDir = join(dir, "bin");
    writeCliShim(binDir, cli);
    const image = registry.image(SCENARIO_REPOSITORIES[0] ?? "shop/web");
    return {
      dir,
      registry: registry.host,
      image,
      caFile,
      username: registry.user.username,
      passwordFile,
      pullSecretFile,
      env: {
        KUBECONFIG: controlPlane.kubeconfigPath,
        PATH: `${binDir}:${process.env.PATH ?? "/usr/bin:/bin"}`,
        ...(userTmpdir === undefined ? {} : { TMPDIR: userTmpdir }),
        PULLWARDEN_SANDBOX_DIR: dir,
        PULLWARDEN_SANDBOX_REGISTRY: registry.host,
        PULLWARDEN_SANDBOX_IMAGE: image,
        PULLWARDEN_SANDBOX_CA_FILE: caFile,
        PULLWARDEN_SANDBOX_USERNAME: registry.user.username,
        PULLWARDEN_SANDBOX_PASSWORD_FILE: passwordFile,
        PULLWARDEN_SANDBOX_PULL_SECRET: pullSecretFile,
      },
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

/** The commands worth trying, for the welcome text and docs/sandbox.md. */
function tryCommands(s: Sandbox): string[] {
  return [
    `pullwarden doctor --all -n shop`,
    `pullwarden doctor --all -n shop,payments --probe --ca-file ${s.caFile}`,
    `pullwarden audit --cluster`,
    `pullwarden apply ${MISSING_SECRET_NAME} -n payments --docker-server ${s.registry} --docker-username ${s.username} --docker-password-file ${s.passwordFile} --dry-run=server`,
    `pullwarden check ${s.image} --ca-file ${s.caFile} --secret ${s.pullSecretFile}`,
  ];
}

function welcome(s: Sandbox): string {
  const bin = join(s.dir, "bin");
  return [
    `pullwarden sandbox: an API server and a registry (${s.registry}) on 127.0.0.1; in namespaces shop and`,
    `payments, Pods cannot pull (a wrong password, a secret for another host, a missing secret) and one runs.`,
    ``,
    `In another shell:`,
    ``,
    `  export KUBECONFIG=${shellQuote(s.env.KUBECONFIG ?? "")} PATH=${shellQuote(bin)}:"$PATH"`,
    ``,
    ...tryCommands(s).map((c) => `  ${c}`),
    ``,
    `Credentials are fake, made for this run. Ctrl-C stops everything and removes ${s.dir}.`,
    ``,
  ].join("\n");
}

function envLines(s: Sandbox): string {
  return (
    Object.entries(s.env)
      .map(([k, v]) => `export ${k}=${shellQuote(v)}\n`)
      .join("") +
    `# pullwarden sandbox ready (pid ${String(process.pid)}): stop it with Ctrl-C or kill ${String(process.pid)}\n`
  );
}

function firstLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.split("\n")[0] ?? message;
}

/** Exit status of a command ended by a signal, as shells report it. */
function signalStatus(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}

async function main(argv: readonly string[]): Promise<void> {
  let options: Options;
  try {
    options = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`sandbox: ${firstLine(e)}; see scripts/sandbox.sh --help\n`);
    process.exit(2);
  }
  const userTmpdir = process.env.TMPDIR;

  let sandbox: Sandbox | undefined;
  let stopping = false;
  /** Stops what was started, then exits; process exit (test/support/cleanup.ts) kills whatever is left. */
  const shutdown = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      if (sandbox) {
        const dir = sandbox.dir;
        await Promise.race([
          sandbox.stop(),
          new Promise((resolve) => setTimeout(resolve, STOP_LIMIT_MS).unref()),
        ]);
        process.stderr.write(`sandbox: stopped; removed ${dir}\n`);
      }
      process.exit(code);
    }
    return new Promise<never>(() => {});
  };
  let child: ReturnType<typeof spawn> | undefined;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      // One-shot: the command decides when to stop (Ctrl-C reaches it too; kill only reaches us, so pass it on).
      if (child && child.exitCode === null && child.signalCode === null) child.kill(signal);
      else void shutdown(0);
    });
  }

  try {
    sandbox = await startSandbox(options.cli, userTmpdir);
  } catch (e) {
    process.stderr.write(`sandbox: could not start: ${firstLine(e)}\n`);
    if (process.env.PULLWARDEN_DEBUG === "1") process.stderr.write(`${String((e as Error).stack)}\n`);
    await shutdown(4);
    return;
  }

  if (options.command.length > 0) {
    const [file, ...args] = options.command as [string, ...string[]];
    process.stderr.write(`sandbox: ready (${sandbox.dir}); running ${options.command.join(" ")}\n`);
    child = spawn(file, args, { stdio: "inherit", env: { ...process.env, ...sandbox.env } });
    child.on("error", (e: NodeJS.ErrnoException) => {
      const why = e.code === "ENOENT" ? "not found on PATH" : e.message;
      process.stderr.write(`sandbox: cannot run ${file}: ${why}\n`);
      void shutdown(e.code === "ENOENT" ? 127 : 126);
    });
    child.on("exit", (code, signal) => {
      void shutdown(code ?? (signal ? signalStatus(signal) : 1));
    });
    return;
  }
  // A reader that went away (`| head`) must not take the sandbox down with a stack trace: it keeps serving.
  process.stdout.on("error", () => {});
  process.stdout.write(options.printEnv ? envLines(sandbox) : welcome(sandbox));
}

void main(process.argv.slice(2));
