/**
 * `plan -o DIR`: the plan's files written into a new directory, atomically (a temporary sibling directory is
 * filled, then renamed into place; nothing is left behind on failure). Next to the files goes a marker,
 * `.pullwarden-plan.json`, listing what plan wrote, so that `--force` replaces only a directory that is an
 * earlier plan output holding nothing else: never the working directory, one of its ancestors, `/` or $HOME,
 * and never a file plan did not write (or that was changed since).
 */
import { createHash } from "node:crypto";
import {
  chmod,
  lstat,
  mkdtemp,
  readFile,
  readdir,
  realpath,
  rename,
  rm,
  rmdir,
  unlink,
  writeFile,
} from "node:fs/promises";
import { homedir } from "node:os";
import { basename, dirname, isAbsolute, join, normalize, sep } from "node:path";
import { EnvironmentError, UsageError } from "../../../errors.js";
import type { PlanFile } from "../../../plan/index.js";
import type { CliIo } from "../../io.js";
import { checkParentDirectory, pathKind, writeFailure } from "../../write-output.js";
import type { OutputTarget } from "../../write-output.js";

export const PLAN_MARKER = ".pullwarden-plan.json";
const MARKER_KIND = "PlanOutput";
const MARKER_API_VERSION = "pullwarden.io/v1alpha1";
/** A marker (or a file plan wrote) larger than this was not written by plan. */
const MAX_PLAN_FILE_BYTES = 16 * 1024 * 1024;

/** What plan wrote: per file its size and, unless it holds secret values, the SHA-256 of its content. */
interface PlanMarker {
  readonly files: ReadonlyMap<string, { readonly size: number; readonly sha256?: string }>;
}

function sha256(content: string | Buffer): string {
  return createHash("sha256").update(content).digest("hex");
}

function markerText(files: readonly PlanFile[]): string {
  const entries: Record<string, { size: number; sha256?: string }> = {};
  for (const file of files) {
    // No digest of a file holding secret values (--include-secrets): it would let a guess be checked offline.
    entries[file.path] = {
      size: Buffer.byteLength(file.content),
      ...(file.mode === 0o600 ? {} : { sha256: sha256(file.content) }),
    };
  }
  const marker = {
    apiVersion: MARKER_API_VERSION,
    kind: MARKER_KIND,
    comment:
      "Written by pullwarden plan. `plan -o DIR --force` replaces this directory only while it holds just these files, unchanged.",
    files: entries,
  };
  return `${JSON.stringify(marker, null, 2)}\n`;
}

const isPlainName = (name: string): boolean =>
  name !== "" && name !== "." && name !== ".." && name !== PLAN_MARKER && !/[/\\\0]/.test(name);

/** The marker of `dir`, or why there is none that plan wrote. */
async function readMarker(dir: string): Promise<PlanMarker | string> {
  const path = join(dir, PLAN_MARKER);
  const kind = await pathKind(path);
  if (kind === undefined) return `it has no ${PLAN_MARKER}, so pullwarden plan did not write it`;
  const notOurs = `its ${PLAN_MARKER} was not written by pullwarden plan`;
  if (kind !== "file" || (await lstat(path)).size > MAX_PLAN_FILE_BYTES) return notOurs;
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, "utf8"));
  } catch {
    return notOurs;
  }
  const object = raw as { apiVersion?: unknown; kind?: unknown; files?: unknown } | null;
  if (object?.apiVersion !== MARKER_API_VERSION || object.kind !== MARKER_KIND) return notOurs;
  if (typeof object.files !== "object" || object.files === null || Array.isArray(object.files))
    return notOurs;
  const files = new Map<string, { size: number; sha256?: string }>();
  for (const [name, entry] of Object.entries(object.files as Record<string, unknown>)) {
    const { size, sha256: digest } = (entry ?? {}) as { size?: unknown; sha256?: unknown };
    if (!isPlainName(name) || typeof size !== "number") return notOurs;
    if (digest !== undefined && typeof digest !== "string") return notOurs;
    files.set(name, { size, ...(digest !== undefined ? { sha256: digest } : {}) });
  }
  return { files };
}

/** The first entry of `dir` plan did not write (or that changed since), as a reason; undefined when none. */
async function foreignEntry(
  dir: string,
  marker: PlanMarker,
  show: (path: string) => string,
): Promise<string | undefined> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === PLAN_MARKER) continue;
    const path = join(dir, entry.name);
    const written = marker.files.get(entry.name);
    if (written === undefined || !entry.isFile()) return `${show(path)} was not written by pullwarden plan`;
    const { size } = await lstat(path);
    const changed =
      size !== written.size ||
      (written.sha256 !== undefined && sha256(await readFile(path)) !== written.sha256);
    if (changed) return `${show(path)} was changed after pullwarden plan wrote it`;
  }
  return undefined;
}

async function realOrSame(path: string): Promise<string> {
  return realpath(path).catch(() => normalize(path));
}

const contains = (outer: string, inner: string): boolean =>
  outer === inner || inner.startsWith(outer.endsWith(sep) ? outer : outer + sep);

/**
 * Why the existing directory `target` must not be replaced, or its marker when it may: it is an earlier plan
 * output, and not the working directory, an ancestor of it, the root or the home directory.
 */
async function replaceable(target: OutputTarget, io: CliIo): Promise<PlanMarker | string> {
  const real = await realOrSame(target.absolute);
  const cwd = await realOrSame(io.cwd);
  const home = await realOrSame(io.env["HOME"] || homedir());
  if (dirname(real) === real) return "it is the root directory";
  if (real === cwd) return "it is the working directory";
  if (contains(real, cwd)) return "it contains the working directory";
  if (contains(real, home))
    return real === home ? "it is your home directory" : "it contains your home directory";
  const marker = await readMarker(target.absolute);
  if (typeof marker === "string") return marker;
  return (await foreignEntry(target.absolute, marker, target.show)) ?? marker;
}

export interface WriteOptions {
  readonly force: boolean;
  /** Test seam: the file writer. */
  readonly writeFile?: (path: string, content: string, mode: number) => Promise<void>;
}

/** The result of a write; `kept` names an old directory left in place because it changed during the swap. */
export interface WriteResult {
  readonly kept?: string;
}

/**
 * Writes the files into `target` atomically: a temporary directory next to it is filled, then renamed into
 * place. With `force`, an existing earlier plan output is swapped out, and its files are removed one by one
 * (never recursively) once the new directory is in place. On any failure the temporary directory is removed
 * and an existing directory is left as it was.
 */
export async function writePlanDirectory(
  target: OutputTarget,
  files: readonly PlanFile[],
  options: WriteOptions,
  io: CliIo,
): Promise<WriteResult> {
  const shown = target.show(target.absolute);
  let existing: PlanMarker | undefined;
  try {
    const kind = await pathKind(target.absolute);
    if (kind !== undefined && kind !== "directory") {
      throw new UsageError(`${shown} exists and is not a directory`, {
        hint: "plan writes into a new directory: choose another name with -o",
      });
    }
    if (kind === "directory") {
      const verdict = await replaceable(target, io);
      if (!options.force) {
        throw new UsageError(`${shown} already exists`, {
          hint:
            typeof verdict === "string"
              ? "plan writes into a new directory: choose another name with -o"
              : "choose a new directory, or add --force to replace this earlier plan output",
        });
      }
      if (typeof verdict === "string") {
        throw new UsageError(`refusing to replace ${shown}: ${verdict}`, {
          hint: "--force replaces only a directory pullwarden plan wrote that holds nothing else: choose a new directory with -o",
        });
      }
      existing = verdict;
    }
    await checkParentDirectory(target);
  } catch (error) {
    throw await writeFailure(target, error);
  }

  const write =
    options.writeFile ??
    (async (path: string, content: string, mode: number): Promise<void> => {
      await writeFile(path, content, { mode, flag: "wx" });
      await chmod(path, mode);
    });
  const parent = dirname(target.absolute);
  let temp: string | undefined;
  let backup: string | undefined;
  try {
    temp = await mkdtemp(join(parent, `.${basename(target.absolute)}.tmp-`));
    const holdsSecrets = files.some((f) => f.mode === 0o600);
    for (const file of files) {
      const path = normalize(file.path);
      if (isAbsolute(path) || !isPlainName(path)) {
        throw new EnvironmentError(
          "E_PLAN_WRITE",
          `refusing to write ${JSON.stringify(file.path)} outside ${shown}`,
        );
      }
      await write(join(temp, path), file.content, file.mode);
    }
    await write(join(temp, PLAN_MARKER), markerText(files), holdsSecrets ? 0o600 : 0o644);
    await chmod(temp, holdsSecrets ? 0o700 : 0o755);
    if (existing) {
      backup = `${temp}.old`;
      await rename(target.absolute, backup);
    }
    await rename(temp, target.absolute);
    temp = undefined;
  } catch (error) {
    if (temp) await rm(temp, { recursive: true, force: true }).catch(() => undefined);
    if (backup && (await pathKind(target.absolute).catch(() => "other")) === undefined) {
      await rename(backup, target.absolute).catch(() => undefined);
    }
    throw await writeFailure(target, error);
  }
  if (backup === undefined || existing === undefined) return {};
  return (await removePlanOutput(backup, existing)) ? {} : { kept: backup };
}

/**
 * Removes an old plan output that was swapped out: the files it lists, unchanged, then the directory. Returns
 * false (and removes nothing) when something else appeared in it in the meantime.
 */
async function removePlanOutput(dir: string, marker: PlanMarker): Promise<boolean> {
  try {
    if ((await foreignEntry(dir, marker, (p) => p)) !== undefined) return false;
    for (const name of marker.files.keys()) await unlink(join(dir, name)).catch(() => undefined);
    await unlink(join(dir, PLAN_MARKER));
    await rmdir(dir);
    return true;
  } catch {
    return false;
  }
}
