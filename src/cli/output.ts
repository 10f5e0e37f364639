/**
 * Output helpers every command shares: machine output (JSON), colour for people (only on a terminal, never with
 * NO_COLOR), and the one progress line long work redraws on a terminal's stderr.
 */
import type { CliIo } from "./io.js";

/** Machine output: stable 2-space JSON with a trailing newline; Dates as RFC 3339 strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

/** The colours renderers use (src/audit's text reporter takes the same shape). */
export interface Paint {
  red(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

export function createPaint(enabled: boolean): Paint {
  const wrap = (code: string) => (text: string) => (enabled ? `\u001b[${code}m${text}\u001b[0m` : text);
  return { red: wrap("31"), yellow: wrap("33"), dim: wrap("2"), bold: wrap("1") };
}

/** `NO_COLOR` (https://no-color.org) and non-TTY output turn colour off. */
export function useColor(io: CliIo, stream: "stdout" | "stderr" = "stdout"): boolean {
  const target = stream === "stdout" ? io.stdout : io.stderr;
  return Boolean(target.isTTY) && (io.env["NO_COLOR"] ?? "") === "";
}

/** The paint for what a command writes to standard output. */
export function stdoutPaint(io: CliIo): Paint {
  return createPaint(useColor(io));
}

export interface ProgressLine {
  /** Replaces the line with `text`. */
  show(text: string): void;
  /** Clears the line, if anything was shown. */
  end(): void;
}

/** One line redrawn in place on a terminal's stderr (`\r`, erase line); nothing at all when stderr is piped. */
export function progressLine(io: CliIo): ProgressLine {
  if (!io.stderr.isTTY) return { show: () => undefined, end: () => undefined };
  let shown = false;
  return {
    show: (text) => {
      io.stderr.write(`\r\x1b[K${text}`);
      shown = true;
    },
    end: () => {
      if (shown) io.stderr.write("\r\x1b[K");
    },
  };
}
