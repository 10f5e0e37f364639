/**
 * The plugin as kubelet runs it: one request on stdin, one response on stdout, exit 0; or exit 1 with one line on
 * stderr, which kubelet appends to its log line (plugin.go ExecPlugin) and so must hold no secret. This is the
 * I/O edge (stdin, the static file, stdout); deciding is serve.ts. Shared by the `pullwarden-credential-provider`
 * executable and `pullwarden credential-provider`.
 */
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import type { Readable, Writable } from "node:stream";
import { EnvironmentError, PullwardenError } from "../errors.js";
import { MAX_CONFIG_BYTES } from "../dockerconfig/parse.js";
import { MAX_REQUEST_BYTES, decodeCredentialProviderRequest } from "./decode-request.js";
import { encodeCredentialProviderResponse } from "./encode-response.js";
import type { PluginOptions } from "./plugin-options.js";
import type { CredentialProviderRequest } from "./protocol.js";
import { serveCredentialRequest } from "./serve.js";
import type { CloudSources } from "./serve.js";
import { checkStaticFileAccess } from "./static-file-access.js";
import { parseStaticCredentials } from "./static-credentials.js";
import type { StaticCredentials } from "./static-credentials.js";

export const PLUGIN_NAME = "pullwarden-credential-provider";

/** How long the plugin waits for kubelet's request before giving up (kubelet writes it at once). */
export const STDIN_DEADLINE_MS = 10_000;

export interface PluginWorld {
  readonly stdin: Readable & { isTTY?: boolean };
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => Date;
  /** The user the plugin runs as (the static file must be theirs). */
  readonly uid: number;
  readonly cloudSources: () => Promise<CloudSources>;
  readonly stdinDeadlineMs?: number;
}

/** stdin, at most `limit` bytes (one more is read to tell "too large"), within a deadline. */
export async function readCapped(stream: Readable, limit: number, deadlineMs: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  let timer: NodeJS.Timeout | undefined;
  const reading = (async (): Promise<Buffer> => {
    for await (const chunk of stream) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      chunks.push(buffer);
      size += buffer.length;
      // Stop reading a flood: decoding refuses anything over the limit anyway.
      if (size > limit) break;
    }
    return Buffer.concat(chunks);
  })();
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // An open stdin would keep the process alive after the answer: let it go.
      stream.destroy();
      reject(
        new EnvironmentError(
          "E_PROVIDER_STDIN",
          `no CredentialProviderRequest on stdin within ${deadlineMs / 1000}s`,
          {
            hint: "kubelet writes the request and closes stdin; to try the plugin by hand use: pullwarden credential-provider exec --image IMAGE",
          },
        ),
      );
    }, deadlineMs);
    timer.unref?.();
  });
  try {
    return await Promise.race([reading, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The static file: opened once, checked on the open descriptor (no race with a swap), read with a cap. */
export async function readStaticFile(path: string, uid: number): Promise<StaticCredentials> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    throw new EnvironmentError(
      "E_PROVIDER_STATIC_ACCESS",
      `${path}: cannot open the static credentials file (${code || "error"})`,
      {
        hint:
          code === "ENOENT"
            ? "create it (mode 0600, owned by root) or fix --static-config in kubelet's provider args"
            : "check the path and its permissions",
      },
    );
  }
  try {
    const facts = await handle.stat();
    checkStaticFileAccess(path, { isFile: facts.isFile(), mode: facts.mode, uid: facts.uid }, uid);
    const buffer = Buffer.alloc(Math.min(facts.size, MAX_CONFIG_BYTES) + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return parseStaticCredentials(buffer.subarray(0, bytesRead), path);
  } finally {
    await handle.close();
  }
}

/** Every secret this run knows of, so no message can carry one even by accident. */
function redactor(secrets: readonly string[]): (line: string) => string {
  const known = secrets.filter((secret) => secret.length >= 4).sort((a, b) => b.length - a.length);
  return (line) => known.reduce((text, secret) => text.split(secret).join("<redacted>"), line);
}

/** One line for kubelet's log: what happened, what to do, and the stable code. */
export function failureLine(error: unknown, redact: (line: string) => string): string {
  const message =
    error instanceof PullwardenError
      ? `${error.message}${error.hint ? `; ${error.hint}` : ""} [${error.code}]`
      : `internal error: ${error instanceof Error ? error.message : String(error)} [E_INTERNAL]`;
  return `${PLUGIN_NAME}: ${redact(message).replace(/[\r\n]+/g, " ")}\n`;
}

/** Runs one request; returns the exit code (0 answered, 1 failed). */
export async function runPlugin(options: PluginOptions, world: PluginWorld): Promise<number> {
  const secrets: string[] = [];
  try {
    if (world.stdin.isTTY) {
      throw new EnvironmentError(
        "E_PROVIDER_STDIN",
        "stdin is a terminal, not kubelet's CredentialProviderRequest",
        {
          hint: "to try the plugin by hand use: pullwarden credential-provider exec --image IMAGE",
        },
      );
    }
    const bytes = await readCapped(
      world.stdin,
      MAX_REQUEST_BYTES,
      world.stdinDeadlineMs ?? STDIN_DEADLINE_MS,
    );
    const request: CredentialProviderRequest = decodeCredentialProviderRequest(bytes);
    if (request.serviceAccountToken) secrets.push(request.serviceAccountToken);
    const staticCredentials =
      options.staticConfig !== undefined ? await readStaticFile(options.staticConfig, world.uid) : undefined;
    for (const entry of staticCredentials?.entries ?? []) secrets.push(entry.password);
    const { response } = await serveCredentialRequest(request, {
      ...(staticCredentials ? { staticCredentials } : {}),
      ...(options.cacheKeyType ? { staticCacheKeyType: options.cacheKeyType } : {}),
      ...(options.cacheDuration ? { staticCacheDuration: options.cacheDuration } : {}),
      ...(options.acrLoginServers ? { acrLoginServers: options.acrLoginServers } : {}),
      cloudSources: world.cloudSources,
      env: world.env,
      now: world.now,
    });
    await write(world.stdout, encodeCredentialProviderResponse(response));
    return 0;
  } catch (error) {
    world.stderr.write(failureLine(error, redactor(secrets)));
    return 1;
  }
}

function write(stream: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()));
  });
}
