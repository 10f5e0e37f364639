/**
 * `pullwarden plan -f LAYOUT [-o DIR]`: the pull setup for every (cluster, registry) pair of a layout, with the
 * reasons. Without -o a summary goes to stdout; with -o the numbered files are written into a new directory,
 * atomically (a temporary sibling directory renamed into place; nothing is left behind on failure).
 */
import { chmod, lstat, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, normalize, resolve } from "node:path";
import { EnvironmentError, ExitCode, UsageError } from "../../errors.js";
import type { Plan, PlanFile, SecretValue } from "../../plan/index.js";
import type { CliIo } from "../io.js";
import { readLayout, reportLayoutError } from "../layout-input.js";
import { MAX_SECRET_INPUT_BYTES, expandHome, readText } from "../read-input.js";

export interface PlanCommandOptions {
  filename?: string;
  output?: string;
  force?: boolean;
  includeSecrets?: boolean;
}

export async function runPlan(options: PlanCommandOptions, io: CliIo): Promise<number> {
  const file = options.filename;
  if (file === undefined || file === "") {
    throw new UsageError("plan needs a layout: -f LAYOUT", {
      hint: "pullwarden init writes a starter layout",
    });
  }
  if (options.includeSecrets && options.output === undefined) {
    throw new UsageError("--include-secrets needs -o DIR: secret values are never printed", {
      hint: "pullwarden plan -f LAYOUT -o DIR --include-secrets",
    });
  }
  const source = file === "-" ? "stdin" : file;
  const text = await readLayout(file, io);
  const plan = await import("../../plan/index.js");

  let layout;
  try {
    layout = plan.parseLayout(text, { source, now: io.now() });
  } catch (error) {
    if (error instanceof plan.LayoutError) return reportLayoutError(error, io);
    throw error;
  }
  const result = plan.planLayout(layout, { now: io.now() });

  if (options.output === undefined) {
    io.stdout.write(plan.renderPlanSummary(result, { layoutSource: source }));
    return ExitCode.ok;
  }
  const secretValues = options.includeSecrets ? await readSecretValues(result, io) : undefined;
  const files = plan.renderPlanFiles(result, {
    layoutSource: source,
    ...(secretValues ? { secretValues } : {}),
  });
  const target = resolve(io.cwd, expandHome(options.output, io));
  await writePlanDirectory(target, files, { force: options.force === true });
  io.stderr.write(
    `wrote ${files.length} files to ${options.output}; next: read ${join(options.output, "README.md")} and run the steps in order\n`,
  );
  for (const warning of result.warnings) io.stderr.write(`warning: ${warning}\n`);
  return ExitCode.ok;
}

/** `--include-secrets`: the values of static secrets, read from the sources the layout names. */
async function readSecretValues(plan: Plan, io: CliIo): Promise<Map<string, SecretValue>> {
  const values = new Map<string, SecretValue>();
  for (const decision of plan.decisions) {
    if (decision.method !== "secret" || decision.namespaces.length === 0) continue;
    const source = decision.source;
    if (source?.kind === "env") {
      const password = io.env[source.passwordEnv];
      if (password === undefined || password === "") {
        throw new UsageError(
          `--include-secrets: ${source.passwordEnv} is not set (registry ${decision.registry}, ${decision.host})`,
          {
            hint: `export ${source.passwordEnv}, or plan without --include-secrets and run the secret script`,
          },
        );
      }
      values.set(decision.registry, { server: source.server, username: source.username, password });
    } else if (source?.kind === "password-file") {
      const password = (await readText(source.passwordFile, io, MAX_SECRET_INPUT_BYTES)).replace(
        /\r?\n$/,
        "",
      );
      values.set(decision.registry, { server: source.server, username: source.username, password });
    } else {
      io.stderr.write(
        `warning: --include-secrets: ${decision.registry} reads a docker config (credential helpers run only in the secret script); its secret stays in the script\n`,
      );
    }
  }
  return values;
}

export interface WriteOptions {
  readonly force: boolean;
  /** Test seam: the file writer. */
  readonly writeFile?: (path: string, content: string, mode: number) => Promise<void>;
}

async function exists(path: string): Promise<"dir" | "other" | undefined> {
  try {
    const info = await lstat(path);
    return info.isDirectory() ? "dir" : "other";
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/**
 * Writes the files into `target` atomically: a temporary directory next to it is filled, then renamed into
 * place. With `force`, an existing directory is swapped out and removed only after the new one is in place.
 * On any failure the temporary directory is removed and an existing directory is left as it was.
 */
export async function writePlanDirectory(
  target: string,
  files: readonly PlanFile[],
  options: WriteOptions,
): Promise<void> {
  const existing = await exists(target);
  if (existing === "other") throw new UsageError(`${target} exists and is not a directory`);
  if (existing === "dir" && !options.force) {
    throw new UsageError(`${target} already exists`, {
      hint: "choose a new directory, or add --force to replace it",
    });
  }
  const parent = dirname(target);
  if ((await exists(parent)) !== "dir") {
    throw new UsageError(`${parent}: no such directory`, { hint: `create it first: mkdir -p ${parent}` });
  }
  const write =
    options.writeFile ??
    (async (path: string, content: string, mode: number): Promise<void> => {
      await writeFile(path, content, { mode, flag: "wx" });
      await chmod(path, mode);
    });
  let temp: string | undefined;
  let backup: string | undefined;
  try {
    temp = await mkdtemp(join(parent, `.${basename(target)}.tmp-`));
    const holdsSecrets = files.some((f) => f.mode === 0o600);
    for (const file of files) {
      const path = normalize(file.path);
      if (isAbsolute(path) || path.startsWith("..") || path.includes("/")) {
        throw new EnvironmentError(
          "E_PLAN_WRITE",
          `refusing to write ${JSON.stringify(file.path)} outside ${target}`,
        );
      }
      await write(join(temp, path), file.content, file.mode);
    }
    await chmod(temp, holdsSecrets ? 0o700 : 0o755);
    if (existing === "dir") {
      backup = `${temp}.old`;
      await rename(target, backup);
    }
    await rename(temp, target);
    temp = undefined;
    if (backup) await rm(backup, { recursive: true, force: true });
    backup = undefined;
  } catch (error) {
    if (temp) await rm(temp, { recursive: true, force: true }).catch(() => undefined);
    if (backup && (await exists(target)) === undefined) await rename(backup, target).catch(() => undefined);
    if (error instanceof UsageError || error instanceof EnvironmentError) throw error;
    const code = (error as NodeJS.ErrnoException | undefined)?.code ?? "EIO";
    throw new EnvironmentError("E_PLAN_WRITE", `cannot write ${target}: ${code}`, { cause: error });
  }
}
