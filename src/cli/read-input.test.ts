import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import type { CliIo } from "./io.js";
import { readBytes, readPullCredentialSources } from "./read-input.js";

const dir = mkdtempSync(join(tmpdir(), "pullwarden-read-input-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const io: CliIo = {
  stdin: new PassThrough(),
  stdout: new PassThrough(),
  stderr: new PassThrough(),
  env: { HOME: dir },
  cwd: dir,
  now: () => new Date(0),
};

describe("readBytes (files)", () => {
  it("reads a file relative to the working directory, and ~/ from HOME", async () => {
    writeFileSync(join(dir, "a.json"), "{}");
    expect((await readBytes("a.json", io, 10)).toString()).toBe("{}");
    expect((await readBytes("~/a.json", io, 10)).toString()).toBe("{}");
  });

  it("reads a file of exactly the limit, and refuses one byte more by its size, naming the file only", async () => {
    writeFileSync(join(dir, "ten"), "0123456789");
    expect((await readBytes("ten", io, 10)).length).toBe(10);
    await expect(readBytes("ten", io, 9)).rejects.toMatchObject({
      code: "E_INPUT_TOO_LARGE",
      message: "ten: input is 10 bytes, over the 9 bytes limit",
    });
  });

  it("reads files larger than one read (64 KiB) whole", async () => {
    const big = Buffer.alloc(200_000, 7);
    writeFileSync(join(dir, "big"), big);
    expect((await readBytes("big", io, 1024 * 1024)).equals(big)).toBe(true);
  });

  it("says what is wrong with a missing file and a directory", async () => {
    await expect(readBytes("missing.json", io, 10)).rejects.toMatchObject({
      code: "E_INPUT_UNREADABLE",
      message: "missing.json: no such file",
    });
    mkdirSync(join(dir, "sub"), { recursive: true });
    await expect(readBytes("sub", io, 10)).rejects.toMatchObject({
      code: "E_INPUT_IS_DIRECTORY",
      message: "sub: is a directory, expected a file",
    });
  });

  it("reads a FIFO to its end, and stops one that goes past the limit (its size is not known before)", async () => {
    const fifo = join(dir, "fifo");
    const made = spawn("mkfifo", [fifo]);
    await new Promise((resolve) => made.on("exit", resolve));
    const writer = (text: string) => spawn("sh", ["-c", `printf '%s' "$0" > ${fifo}`, text]);
    const small = writer("hello");
    expect((await readBytes("fifo", io, 10)).toString()).toBe("hello");
    await new Promise((resolve) => small.on("exit", resolve));
    const large = writer("x".repeat(100));
    await expect(readBytes("fifo", io, 10)).rejects.toMatchObject({
      code: "E_INPUT_TOO_LARGE",
      message: "fifo: input is more than the 10 bytes limit",
    });
    large.kill();
  });
});

describe("readPullCredentialSources", () => {
  it("takes a docker config in JSON without the manifest parser, and a Secret manifest with it", async () => {
    writeFileSync(join(dir, "config.json"), '{"auths":{"ghcr.io":{"auth":"dTpw"}}}');
    const raw = await readPullCredentialSources("config.json", io);
    expect(raw.sources.map((source) => source.label)).toEqual(["config.json"]);
    writeFileSync(
      join(dir, "secret.yaml"),
      "apiVersion: v1\nkind: Secret\nmetadata: {name: pull}\ntype: kubernetes.io/dockerconfigjson\n" +
        'stringData: {.dockerconfigjson: \'{"auths":{"ghcr.io":{"auth":"dTpw"}}}\'}\n',
    );
    const manifest = await readPullCredentialSources("secret.yaml", io);
    expect(manifest.sources.map((source) => source.label)).toEqual(["secret pull (secret.yaml:1)"]);
  });
});
