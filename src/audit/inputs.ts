/**
 * The inputs of `audit`, its I/O edge: files, directories (walked for *.yaml, *.yml, *.json), globs
 * (`manifests/**\/*.yaml`, expanded here with tinyglobby since quoted globs never reach a shell), and stdin (`-`). Every
 * problem is one line and never stops the rest: an unreadable or binary file, a symlink loop, a file over the
 * size cap, a document that does not parse.
 */
import { readdir, realpath, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { InputError } from "../errors.js";
import { decodeUtf8 } from "../utf8.js";
import type { AuditObject, InputProblem } from "./types.js";

/** What the walker needs from the world besides the directory tree: the CLI passes its own. */
export interface InputPorts {
  /** Where relative paths and patterns resolve. */
  readonly cwd: string;
  /** `~` and `~/...` as the user's home directory (patterns reach no shell that would expand them). */
  readonly expandHome: (path: string) => string;
  /**
   * The bytes of a file, or of stdin for `-`, refusing more than a manifest stream may hold; failures are
   * InputErrors that name the input.
   */
  readonly readBytes: (pathOrDash: string) => Promise<Buffer>;
}

export interface LoadedInputs {
  readonly objects: AuditObject[];
  readonly problems: InputProblem[];
  /** Text of every input read, by the name used in origins (for locating fields). */
  readonly texts: Map<string, string>;
  readonly files: number;
}

const MANIFEST_EXTENSIONS = /\.(?:ya?ml|json)$/i;
const GLOB_CHARS = /[*?[{]/;
/** Directories never worth walking. */
const SKIP_DIRECTORIES = new Set(["node_modules", ".git", ".hg", ".svn"]);
/** Far more files than any repository of manifests; a walk past it is a mistake (`audit /`). */
const MAX_FILES = 100_000;

interface Candidate {
  /** Name shown in messages and origins: the path as the user would write it. */
  readonly name: string;
  readonly path: string;
  /** Found by walking a directory or a glob (skipped quietly when not text), or named explicitly. */
  readonly walked: boolean;
}

function display(io: InputPorts, path: string): string {
  const rel = relative(io.cwd, path);
  return rel === "" ? "." : rel.split(sep).join("/");
}

/** Names in code-unit order, as the directory walk sorts them. */
function compareNames(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/**
 * How a glob's matches are ordered and which are read, as a depth-first walk of the sorted tree that follows
 * symlinks would find them. `parts` splits a match (relative to the pattern's base, `/`-separated) into the names
 * before the first `**`, the directories the `**` stands for, and the names after the last one: sorting by the
 * three in turn puts a directory's own matches before those of its subdirectories, the shallowest `**` first.
 * `visits` lists the directories such a walk enters to reach the match, each with the position in the pattern
 * it is entered at: a walk enters a real directory once per position, so a match reached again through a
 * symlink (a loop, or a link to a directory already walked) is not read twice.
 */
function globOrder(patternSegments: readonly string[]): {
  parts(match: string): string[][];
  visits(match: string): { directory: string; position: number }[];
} {
  const first = patternSegments.indexOf("**");
  const after = first < 0 ? 0 : patternSegments.length - patternSegments.lastIndexOf("**") - 1;
  /** Where the names a `**` stands for end (the tail starts). */
  const tailStart = (names: readonly string[]) => Math.max(first, names.length - after);
  return {
    parts(match) {
      const names = match.split("/");
      if (first < 0) return [names];
      return [names.slice(0, first), names.slice(first, tailStart(names)), names.slice(tailStart(names))];
    },
    visits(match) {
      const names = match.split("/");
      const end = first < 0 ? names.length : tailStart(names);
      const visits: { directory: string; position: number }[] = [];
      for (let depth = 0; depth < names.length; depth++) {
        const directory = names.slice(0, depth).join("/");
        if (first < 0 || depth < first) visits.push({ directory, position: depth });
        else if (depth < end) visits.push({ directory, position: first });
        else {
          // The directory where the ** ends is entered twice: still under the **, then for the tail.
          if (depth === end) visits.push({ directory, position: first });
          visits.push({ directory, position: first + 1 + depth - end });
        }
      }
      return visits;
    },
  };
}

class Walker {
  readonly candidates: Candidate[] = [];
  readonly problems: InputProblem[] = [];
  private readonly visited = new Set<string>();

  constructor(private readonly io: InputPorts) {}

  private warn(source: string, message: string): void {
    this.problems.push({ severity: "warning", source, message: `${source}: ${message}` });
  }

  private add(candidate: Candidate): void {
    if (this.candidates.length >= MAX_FILES) {
      if (this.candidates.length === MAX_FILES)
        this.warn(candidate.name, `more than ${MAX_FILES} files; the rest are skipped`);
      return;
    }
    this.candidates.push(candidate);
  }

  /** Walks a directory; symlinked directories are followed once (their real path guards against loops). */
  async walk(directory: string): Promise<void> {
    let real: string;
    try {
      real = await realpath(directory);
    } catch (error) {
      this.warn(
        display(this.io, directory),
        `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`,
      );
      return;
    }
    if (this.visited.has(real)) {
      this.warn(display(this.io, directory), "directory already visited (a symlink loop?); skipped");
      return;
    }
    this.visited.add(real);
    let entries;
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch (error) {
      this.warn(
        display(this.io, directory),
        `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`,
      );
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRECTORIES.has(entry.name) && !entry.name.startsWith(".")) await this.walk(path);
      } else if (entry.isSymbolicLink()) {
        let info;
        try {
          info = await stat(path);
        } catch {
          this.warn(display(this.io, path), "broken symlink; skipped");
          continue;
        }
        if (info.isDirectory()) await this.walk(path);
        else if (info.isFile() && MANIFEST_EXTENSIONS.test(entry.name))
          this.add({ name: display(this.io, path), path, walked: true });
      } else if (entry.isFile() && MANIFEST_EXTENSIONS.test(entry.name)) {
        this.add({ name: display(this.io, path), path, walked: true });
      }
    }
  }

  /**
   * Expands a glob relative to the working directory (or absolute) with tinyglobby: `*`, `?`, `[...]` and `{...}`
   * within names, `**` across directories. Hidden names match only a pattern that names the dot, and `**` never
   * enters node_modules (a pattern that names either reads them). Symlinked files and directories are followed;
   * a directory reached again through a symlink is not read twice. Returns the number of files matched.
   */
  async glob(pattern: string): Promise<number> {
    const absolute = resolve(this.io.cwd, this.io.expandHome(pattern));
    const segments = absolute.split(sep);
    // The literal directories before the first wildcard are where the search starts, whatever their names.
    let base = segments[0] === "" ? sep : (segments[0] as string);
    let index = 1;
    while (index < segments.length && !GLOB_CHARS.test(segments[index] as string)) {
      base = join(base, segments[index] as string);
      index++;
    }
    const rest = segments.slice(index);
    const starAt = rest.indexOf("**");
    // For speed (a node_modules tree can be huge) when the pattern does not name node_modules after its **; the
    // filter below is what keeps ** out of node_modules otherwise. (It also hides a node_modules that a wildcard
    // after the ** would match: not worth walking every node_modules for.)
    const ignore =
      starAt >= 0 && !rest.slice(starAt).some((segment) => SKIP_DIRECTORIES.has(segment))
        ? [[...rest.slice(0, starAt), "**", "node_modules", "**"].join("/")]
        : [];
    const { glob } = await import("tinyglobby");
    const matches = await glob(rest.join("/").replace(/^!/, "\\!"), {
      cwd: base,
      dot: false,
      onlyFiles: true,
      followSymbolicLinks: true,
      expandDirectories: false,
      ignore,
    });
    const order = globOrder(rest);
    const ordered = matches
      .map((match) => ({ match, parts: order.parts(match) }))
      .filter(({ parts }) => !(parts[1] ?? []).some((name) => SKIP_DIRECTORIES.has(name)))
      .sort((a, b) => {
        for (let i = 0; i < a.parts.length; i++) {
          const byNames = compareNames(a.parts[i] ?? [], b.parts[i] ?? []);
          if (byNames !== 0) return byNames;
        }
        return 0;
      });
    const realPaths = new Map<string, Promise<string>>();
    const realPath = (directory: string) => {
      let real = realPaths.get(directory);
      if (!real) {
        real = realpath(join(base, directory)).catch(() => join(base, directory));
        realPaths.set(directory, real);
      }
      return real;
    };
    /** (real directory, pattern position) → the directory path that entered it first. */
    const entered = new Map<string, string>();
    let count = 0;
    matching: for (const { match } of ordered) {
      for (const { directory, position } of order.visits(match)) {
        const key = `${await realPath(directory)}\u0000${position}`;
        const first = entered.get(key);
        if (first === undefined) entered.set(key, directory);
        else if (first !== directory) continue matching;
      }
      count++;
      const path = join(base, match);
      this.add({ name: display(this.io, path), path, walked: true });
    }
    return count;
  }
}

/**
 * Reads every input. `parse` turns a text into objects and problems (loadManifestText), injected so this file
 * stays free of the YAML parser until a command actually runs.
 */
export async function loadInputs(
  args: readonly string[],
  io: InputPorts,
  parse: (text: string, source: string) => { objects: AuditObject[]; problems: InputProblem[] },
): Promise<LoadedInputs> {
  const walker = new Walker(io);
  const problems: InputProblem[] = [];
  let stdin = false;
  for (const arg of args) {
    if (arg === "-") {
      stdin = true;
      continue;
    }
    const path = resolve(io.cwd, io.expandHome(arg));
    const info = await stat(path).catch((error: NodeJS.ErrnoException) => error);
    if (!(info instanceof Error)) {
      if (info.isDirectory()) await walker.walk(path);
      else walker.candidates.push({ name: arg, path, walked: false });
      continue;
    }
    if (GLOB_CHARS.test(arg)) {
      const count = await walker.glob(arg);
      if (count === 0)
        problems.push({ severity: "warning", source: arg, message: `${arg}: the pattern matches no file` });
      continue;
    }
    const why =
      info.code === "ENOENT"
        ? "no such file or directory"
        : info.code === "EACCES"
          ? "permission denied"
          : (info.code ?? "cannot be read");
    problems.push({ severity: "error", source: arg, message: `${arg}: ${why}` });
  }
  problems.push(...walker.problems);

  const objects: AuditObject[] = [];
  const texts = new Map<string, string>();
  const seenPaths = new Set<string>();
  let files = 0;
  const readOne = async (name: string, pathOrDash: string, walked: boolean) => {
    let text: string;
    try {
      const bytes = await io.readBytes(pathOrDash);
      const nul = bytes.subarray(0, 8192).indexOf(0);
      if (nul >= 0)
        throw new InputError("E_INPUT_NOT_TEXT", `${name}: binary data (a NUL byte at offset ${nul})`, {
          source: name,
        });
      text = decodeUtf8(bytes, name);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      const message = error.message.startsWith(name) ? error.message : `${name}: ${error.message}`;
      // A binary file found while walking a directory is skipped; one named explicitly is an error.
      const binary = error.code === "E_INPUT_NOT_TEXT";
      problems.push({
        severity: walked && binary ? "warning" : "error",
        source: name,
        message: walked && binary ? `${message}; skipped` : message,
      });
      return;
    }
    files++;
    texts.set(name, text);
    const loaded = parse(text, name);
    objects.push(...loaded.objects);
    problems.push(...loaded.problems);
  };
  for (const candidate of walker.candidates) {
    if (seenPaths.has(candidate.path)) continue;
    seenPaths.add(candidate.path);
    await readOne(candidate.name, candidate.path, candidate.walked);
  }
  if (stdin) await readOne("stdin", "-", false);
  return { objects, problems, texts, files };
}
