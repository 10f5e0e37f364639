/**
 * Where a command writes its files (`plan -o DIR`, `init -o FILE`), and what a failed write means. A path that
 * cannot work as given (a file where a directory must be, a missing parent, a name too long) is a usage error
 * (exit 2); the machine refusing the write (permissions, a read-only or full disk) is an environment error
 * (exit 4). Either way one line naming the path, never a raw errno reported as a bug.
 */
import { lstat, stat } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { EnvironmentError, PullwardenError, UsageError } from "../errors.js";
import type { CliIo } from "./io.js";
import { expandHome } from "./read-input.js";

export interface OutputTarget {
  /** Resolved against the working directory, `~` expanded. */
  readonly absolute: string;
  /** How messages name a path: relative to the working directory when the user gave a relative path. */
  readonly show: (absolute: string) => string;
}

/** `-o VALUE` as a target; an empty value is refused (it would name the working directory). */
export function outputTarget(given: string, io: CliIo, flag = "-o"): OutputTarget {
  if (given.trim() === "") {
    throw new UsageError(`${flag} needs a path, not an empty string`, {
      hint: `give a new name, e.g. ${flag} out`,
    });
  }
  const expanded = expandHome(given, io);
  const absolute = resolve(io.cwd, expanded);
  const show = (path: string): string => (isAbsolute(expanded) ? path : relative(io.cwd, path) || ".");
  return { absolute, show };
}

export type PathKind = "directory" | "file" | "other";

/** What is at `path` (not following a final symlink: a symlink is "other"); undefined when nothing is. */
export async function pathKind(path: string): Promise<PathKind | undefined> {
  try {
    const info = await lstat(path);
    return info.isDirectory() ? "directory" : info.isFile() ? "file" : "other";
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** The nearest existing ancestor of `path` that is not a directory (the cause of ENOTDIR). */
async function fileAncestor(path: string): Promise<string | undefined> {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    try {
      const info = await stat(dir);
      return info.isDirectory() ? undefined : dir;
    } catch {
      // Missing or unreadable: look further up.
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** The parent of a target must be an existing directory: the usage error to throw when it is not. */
export async function checkParentDirectory(target: OutputTarget): Promise<void> {
  const parent = dirname(target.absolute);
  let kind: PathKind | undefined;
  try {
    kind = (await stat(parent)).isDirectory() ? "directory" : "file";
  } catch (error) {
    throw await writeFailure(target, error);
  }
  if (kind !== "directory") throw await writeFailure(target, Object.assign(new Error(), { code: "ENOTDIR" }));
}

/**
 * A failed file-system call while writing `target`, as the error to throw: what happened to which path, and
 * what to do. Errors pullwarden already raised pass through.
 */
export async function writeFailure(target: OutputTarget, error: unknown): Promise<PullwardenError> {
  if (error instanceof PullwardenError) return error;
  const { absolute, show } = target;
  const shown = show(absolute);
  const parent = dirname(absolute);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const options = { cause: error };
  switch (code) {
    case "ENOTDIR": {
      const file = await fileAncestor(absolute);
      return new UsageError(
        `cannot write ${shown}: ${file === undefined ? "a part of the path" : show(file)} is not a directory`,
        { ...options, hint: "give a path inside an existing directory" },
      );
    }
    case "ENOENT":
      return new UsageError(`cannot write ${shown}: the directory ${show(parent)} does not exist`, {
        ...options,
        hint: `create it first (mkdir -p ${show(parent)}), or choose another path`,
      });
    case "EACCES":
    case "EPERM":
      return new EnvironmentError("E_WRITE", `cannot write ${shown}: permission denied in ${show(parent)}`, {
        ...options,
        hint: "choose a directory you can write to, or fix its permissions",
      });
    case "EROFS":
      return new EnvironmentError(
        "E_WRITE",
        `cannot write ${shown}: ${show(parent)} is on a read-only file system`,
        {
          ...options,
          hint: "choose a directory on a writable file system",
        },
      );
    case "ENOSPC":
    case "EDQUOT":
      return new EnvironmentError(
        "E_WRITE",
        `cannot write ${shown}: ${code === "ENOSPC" ? "no space left on the device" : "disk quota exceeded"}; nothing was written`,
        { ...options, hint: "free some space, or choose a directory on another file system" },
      );
    case "EEXIST":
    case "ENOTEMPTY":
      return new UsageError(`cannot write ${shown}: it appeared while being written; nothing was replaced`, {
        ...options,
        hint: "look at what created it, then run the command again",
      });
    case "ENAMETOOLONG":
      return new UsageError(`cannot write ${shown}: the path is too long for the file system`, {
        ...options,
        hint: "choose a shorter path",
      });
    case "ELOOP":
      return new UsageError(`cannot write ${shown}: too many symbolic links in the path`, {
        ...options,
        hint: "give a path without a symbolic link loop",
      });
    default:
      return new EnvironmentError("E_WRITE", `cannot write ${shown}: ${code ?? "the write failed"}`, options);
  }
}
