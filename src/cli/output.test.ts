import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { CliIo } from "./io.js";
import { createPaint, progressLine, useColor } from "./output.js";

function io(tty: boolean, env: Record<string, string> = {}): { io: CliIo; err: () => string } {
  const stderr = Object.assign(new PassThrough(), { isTTY: tty });
  const stdout = Object.assign(new PassThrough(), { isTTY: tty });
  let err = "";
  stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const world: CliIo = { stdin: new PassThrough(), stdout, stderr, env, cwd: "/", now: () => new Date(0) };
  return { io: world, err: () => err };
}

describe("output helpers", () => {
  it("the progress line redraws in place on a terminal and clears itself at the end", async () => {
    const { io: world, err } = io(true);
    const line = progressLine(world);
    line.show("applying 1/2 namespaces");
    line.show("applying 2/2 namespaces");
    line.end();
    await new Promise((resolve) => setImmediate(resolve));
    expect(err()).toBe("\r\x1b[Kapplying 1/2 namespaces\r\x1b[Kapplying 2/2 namespaces\r\x1b[K");
  });

  it("the progress line writes nothing when stderr is piped, nor clears what it never showed", async () => {
    for (const shown of [true, false]) {
      const { io: world, err } = io(false);
      const line = progressLine(world);
      if (shown) line.show("reading");
      line.end();
      await new Promise((resolve) => setImmediate(resolve));
      expect(err()).toBe("");
    }
    const { io: terminal, err } = io(true);
    progressLine(terminal).end();
    await new Promise((resolve) => setImmediate(resolve));
    expect(err()).toBe("");
  });

  it("colour only on a terminal without NO_COLOR", () => {
    expect(useColor(io(true).io)).toBe(true);
    expect(useColor(io(true, { NO_COLOR: "1" }).io)).toBe(false);
    expect(useColor(io(false).io)).toBe(false);
    expect(createPaint(true).red("x")).toBe("\u001b[31mx\u001b[0m");
    expect(createPaint(false).red("x")).toBe("x");
  });
});
