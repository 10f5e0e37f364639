/**
 * The process's world for the fast path, without creating `process.stdout`/`process.stderr` (5–14 ms of
 * stream set-up for a command that prints one manifest): output goes to the descriptors with `fs.writeSync`,
 * stdin is created only if a command reads it. Output failures behave as in main.ts: a reader that went away
 * (EPIPE) ends output quietly, any other failure is one line on stderr; both make the exit code 4
 * (docs/exit-codes.md), later writes to the failed stream are dropped and the command still runs to its end.
 * Whether a writer is a terminal is asked only when a command wants to know (colour, progress): node:tty
 * loads node:net, which secret create never needs.
 */
import { fstatSync, writeSync } from "node:fs";
import type { Readable, Writable } from "node:stream";
import { ExitCode } from "../../errors.js";
import { clockFromEnv, describeOutputFailure } from "../io.js";
import type { CliIo } from "../io.js";

export interface SyncProcessIo extends CliIo {
  /** The exit code with output failures counted: at least 4 after one. */
  exitCode(commandCode: number): number;
}

export function syncProcessIo(): SyncProcessIo {
  let failed = false;
  const stderr = syncWriter(2, onFailure);
  function onFailure(fd: number, error: NodeJS.ErrnoException): void {
    if (failed) return;
    failed = true;
    if (fd === 1 && error.code !== "EPIPE") stderr.write(`error: ${describeOutputFailure(error)}\n`);
  }
  return {
    get stdin(): Readable & { isTTY?: boolean } {
      return process.stdin;
    },
    // Commands only write to these (CliIo names the stream type for in-process tests' PassThrough).
    stdout: syncWriter(1, onFailure) as unknown as Writable,
    stderr: stderr as unknown as Writable,
    env: process.env,
    cwd: process.cwd(),
    now: clockFromEnv(process.env),
    exitCode: (code) => (failed ? Math.max(code, ExitCode.environment) : code),
  };
}

interface SyncWriter {
  write(text: string | Uint8Array): boolean;
  readonly isTTY: boolean;
}

function syncWriter(fd: number, onFailure: (fd: number, error: NodeJS.ErrnoException) => void): SyncWriter {
  let broken = false;
  let tty: boolean | undefined;
  return {
    get isTTY() {
      // process.getBuiltinModule: Node >= 20.16; before it, a character device is taken for a terminal.
      return (tty ??=
        typeof process.getBuiltinModule === "function"
          ? process.getBuiltinModule("node:tty").isatty(fd)
          : fstatSync(fd).isCharacterDevice());
    },
    write(text) {
      if (broken) return false;
      const bytes = typeof text === "string" ? Buffer.from(text, "utf8") : text;
      let written = 0;
      while (written < bytes.length) {
        try {
          written += writeSync(fd, bytes, written);
        } catch (error) {
          const failure = error as NodeJS.ErrnoException;
          // A non-blocking descriptor (a pipe its parent made so) that is full: wait for the reader, as a
          // blocking write would.
          if (failure.code === "EAGAIN") {
            Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
            continue;
          }
          broken = true;
          onFailure(fd, failure);
          return false;
        }
      }
      return true;
    },
  };
}
