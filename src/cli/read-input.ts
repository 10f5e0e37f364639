/**
 * Reading user-supplied files and stdin with a size cap, so a 50 MB file or an endless pipe is refused
 * before it is parsed. Errors name the source, never its content.
 */
import { open, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { resolve } from "node:path";
import { EnvironmentError, InputError, PullwardenError } from "../errors.js";
import type { PullCredentialSources } from "../manifest/index.js";
import type { CliIo } from "./io.js";
import { decodeUtf8 } from "../utf8.js";

export { decodeUtf8 };

/** Kubernetes refuses Secrets over 1 MiB; a pull credential file larger than that is not one. */
export const MAX_SECRET_INPUT_BYTES = 1024 * 1024;
/** Manifest streams (several documents, rendered charts) may be larger. */
export const MAX_MANIFEST_INPUT_BYTES = 16 * 1024 * 1024;

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB` : `${bytes} bytes`;
}

function tooLarge(source: string, size: number | undefined, maxBytes: number): InputError {
  const actual = size === undefined ? "more than" : `${formatBytes(size)}, over`;
  return new InputError(
    "E_INPUT_TOO_LARGE",
    `${source}: input is ${actual} the ${formatBytes(maxBytes)} limit`,
    {
      source,
      hint: "pass the pull secret or manifest itself, not a larger file that contains it",
    },
  );
}

export function expandHome(path: string, io: CliIo): string {
  if (path === "~" || path.startsWith("~/")) return (io.env["HOME"] ?? homedir()) + path.slice(1);
  return path;
}

/**
 * Standard input that cannot be read (closed and reopened write-only, `0>file`, a write-only FIFO) is the
 * environment's fault, not a bug: exit 4 with one line saying so.
 */
function stdinUnreadable(error: unknown): EnvironmentError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const why =
    code === "EBADF" || code === "ENOTCONN"
      ? "it is closed or open only for writing"
      : code === "EISDIR"
        ? "it is a directory"
        : "the read failed";
  return new EnvironmentError(
    "E_STDIN_UNREADABLE",
    `cannot read standard input: ${why}${code ? ` (${code})` : ""}; pipe the input in, or pass a file instead`,
    { cause: error },
  );
}

/** The one reader of standard input for every command (`-` arguments, --docker-password-stdin, ...). */
async function readStdin(io: CliIo, maxBytes: number): Promise<Buffer> {
  try {
    return await readStream(io.stdin, "stdin", maxBytes);
  } catch (error) {
    if (error instanceof PullwardenError) throw error;
    throw stdinUnreadable(error);
  }
}

export async function readBytes(pathOrDash: string, io: CliIo, maxBytes: number): Promise<Buffer> {
  if (pathOrDash === "-") return readStdin(io, maxBytes);
  const path = resolve(io.cwd, expandHome(pathOrDash, io));
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) {
      throw new InputError("E_INPUT_IS_DIRECTORY", `${pathOrDash}: is a directory, expected a file`, {
        source: pathOrDash,
      });
    }
    size = info.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw unreadable(pathOrDash, error);
  }
  if (size > maxBytes) throw tooLarge(pathOrDash, size, maxBytes);
  try {
    const handle = await open(path, "r");
    try {
      return await readStream(handle.createReadStream(), pathOrDash, maxBytes);
    } finally {
      await handle.close().catch(() => undefined);
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw unreadable(pathOrDash, error);
  }
}

function unreadable(source: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const why =
    code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (code ?? "cannot be read");
  return new InputError("E_INPUT_UNREADABLE", `${source}: ${why}`, { source, cause: error });
}

async function readStream(stream: NodeJS.ReadableStream, source: string, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    total += buffer.length;
    if (total > maxBytes) {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      throw tooLarge(source, undefined, maxBytes);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, total);
}

export async function readText(pathOrDash: string, io: CliIo, maxBytes: number): Promise<string> {
  return decodeUtf8(await readBytes(pathOrDash, io, maxBytes), pathOrDash === "-" ? "stdin" : pathOrDash);
}

/**
 * The pull credentials in a user's file (or stdin): Secret manifests, .dockerconfigjson payloads or docker
 * config.json files (`secret inspect`, `secret match`, `check --secret`).
 */
export async function readPullCredentialSources(
  pathOrDash: string,
  io: CliIo,
): Promise<PullCredentialSources> {
  const { loadPullCredentialSources } = await import("../manifest/index.js");
  const text = await readText(pathOrDash, io, MAX_MANIFEST_INPUT_BYTES);
  return loadPullCredentialSources(text, pathOrDash === "-" ? "stdin" : pathOrDash);
}
