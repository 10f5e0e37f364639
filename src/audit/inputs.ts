/**
 * The inputs of `audit`: files, directories (walked for *.yaml, *.yml, *.json), globs (`manifests/**\/*.yaml`,
 * expanded here since Node 20 has no fs.glob and quoted globs never reach a shell), and stdin (`-`). Every
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

/** A glob pattern segment (`*`, `?`, `[a-z]`, `{a,b}`) as a regular expression; `**` is handled by the walker. */
function segmentRegExp(segment: string): RegExp {
  let out = "";
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] as string;
    if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else if (c === "[") {
      const end = segment.indexOf("]", i + 1);
      if (end < 0) out += "\\[";
      else {
        out += `[${segment
          .slice(i + 1, end)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else if (c === "{") {
      const end = segment.indexOf("}", i + 1);
      if (end < 0) out += "\\{";
      else {
        out += `(?:${segment
          .slice(i + 1, end)
          .split(",")
          .map((part) => part.replace(/[.+^$()|\\]/g, "\\$&").replace(/\*/g, "[^/]*"))
          .join("|")})`;
        i = end;
      }
    } else out += c.replace(/[.+^$()|\\]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
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

  /** Expands a glob relative to the working directory (or absolute). */
  async glob(pattern: string): Promise<number> {
    const absolute = resolve(this.io.cwd, this.io.expandHome(pattern));
    const segments = absolute.split(sep);
    let base = segments[0] === "" ? sep : (segments[0] as string);
    let index = 1;
    while (index < segments.length && !GLOB_CHARS.test(segments[index] as string)) {
      base = join(base, segments[index] as string);
      index++;
    }
    const rest = segments.slice(index);
    const before = this.candidates.length;
    const seen = new Set<string>();
    await this.globFrom(base, rest, seen, new Set());
    return this.candidates.length - before;
  }

  private async globFrom(
    directory: string,
    rest: readonly string[],
    seen: Set<string>,
    realDirs: Set<string>,
  ): Promise<void> {
    if (rest.length === 0) return;
    let real: string;
    try {
      real = await realpath(directory);
    } catch {
      return;
    }
    const key = `${real}\u0000${rest.join("/")}`;
    if (realDirs.has(key)) return;
    realDirs.add(key);
    let entries;
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const [head, ...tail] = rest as [string, ...string[]];
    if (head === "**") {
      await this.globFrom(directory, tail, seen, realDirs);
      for (const entry of entries) {
        if (entry.name.startsWith(".") || SKIP_DIRECTORIES.has(entry.name)) continue;
        const path = join(directory, entry.name);
        if (
          entry.isDirectory() ||
          (entry.isSymbolicLink() && (await stat(path).catch(() => undefined))?.isDirectory())
        )
          await this.globFrom(path, rest, seen, realDirs);
      }
      return;
    }
    const matcher = segmentRegExp(head);
    for (const entry of entries) {
      if (!matcher.test(entry.name) || (entry.name.startsWith(".") && !head.startsWith("."))) continue;
      const path = join(directory, entry.name);
      const info = await stat(path).catch(() => undefined);
      if (!info) continue;
      if (tail.length === 0) {
        if (info.isFile() && !seen.has(path)) {
          seen.add(path);
          this.add({ name: display(this.io, path), path, walked: true });
        }
      } else if (info.isDirectory()) await this.globFrom(path, tail, seen, realDirs);
    }
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
