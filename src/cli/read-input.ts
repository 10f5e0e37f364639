/**
 * Reading user-supplied files and stdin with a size cap, so a 50 MB file or an endless pipe is refused
 * before it is parsed. Errors name the source, never its content.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
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
  return readFileCapped(resolve(io.cwd, expandHome(pathOrDash, io)), pathOrDash, maxBytes);
}

/**
 * A local file, read synchronously: a CLI reads a few small files before it does anything else, and the
 * asynchronous reads cost a thread pool and a stream each (measured: 2–3 ms of `check`'s start). A FIFO
 * (`<(command)`) blocks until its writer is done, as it would have blocked a pool thread.
 */
function readFileCapped(path: string, source: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    throw unreadable(source, error);
  }
  try {
    let size: number;
    try {
      const info = fstatSync(fd);
      if (info.isDirectory()) {
        throw new InputError("E_INPUT_IS_DIRECTORY", `${source}: is a directory, expected a file`, {
          source,
        });
      }
      size = info.size;
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw unreadable(source, error);
    }
    if (size > maxBytes) throw tooLarge(source, size, maxBytes);
    // One byte past the cap tells a file that grew (or a FIFO that is larger) from one that fits.
    const buffer = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(size + 1, 64 * 1024)));
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      let read: number;
      try {
        read = readSync(fd, buffer, 0, buffer.length, null);
      } catch (error) {
        throw unreadable(source, error);
      }
      if (read === 0) break;
      total += read;
      if (total > maxBytes) throw tooLarge(source, undefined, maxBytes);
      chunks.push(Buffer.from(buffer.subarray(0, read)));
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
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
  const text = await readText(pathOrDash, io, MAX_MANIFEST_INPUT_BYTES);
  const source = pathOrDash === "-" ? "stdin" : pathOrDash;
  // A docker config in JSON first: only manifests need the YAML parser (a chunk of its own).
  const { dockerConfigJsonSources } = await import("../manifest/docker-config-json.js");
  const raw = dockerConfigJsonSources(text, source);
  if (raw !== undefined) return raw;
  const { loadPullCredentialSources } = await import("../manifest/index.js");
  return loadPullCredentialSources(text, source);
}
