// A real Debian docker-registry (distribution 2.8) on 127.0.0.1: htpasswd (bcrypt), token or no auth; TLS or not.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, httpStatus, LOOPBACK, waitUntil } from "./net.js";
import { runCommand, startServer } from "./processes.js";
import type { ServerProcess } from "./processes.js";
import { makeScratchDir, removeScratchDir } from "./scratch.js";
import { createPki } from "./tls.js";
import type { Pki } from "./tls.js";
import type { TokenServer } from "./token-server.js";
import { requireTool } from "./tools.js";

export interface Credentials {
  username: string;
  password: string;
}

export interface RegistryOptions {
  auth: "htpasswd" | "token" | "none";
  tls: boolean;
  /** htpasswd users (bcrypt). Ignored for other auth modes (token users live in the token server). */
  users?: Credentials[];
  /** Required for auth "token": the realm, service, issuer and signing certificate come from it. */
  token?: TokenServer;
  /** TLS material to use; a fresh CA + server certificate is made when omitted. */
  pki?: Pki;
  /** Registry log level (default "info"; "debug" shows why a token was rejected). */
  logLevel?: "error" | "warn" | "info" | "debug";
}

export interface Registry {
  /** `127.0.0.1:PORT`: the key for `auths` and the registry part of image references. */
  host: string;
  /** `https://127.0.0.1:PORT` (or http://). */
  url: string;
  port: number;
  auth: RegistryOptions["auth"];
  tls: boolean;
  /** CA certificate that verifies the registry (undefined without TLS). */
  caFile: string | undefined;
  /** Directory with `ca.crt`, for `skopeo --cert-dir` (undefined without TLS). */
  certDir: string | undefined;
  /** The htpasswd file (auth "htpasswd" only). */
  htpasswdFile: string | undefined;
  dataDir: string;
  /** Adds a bcrypt user to the htpasswd file; the running registry picks it up without a restart. */
  addUser(user: Credentials): Promise<void>;
  /** Registry log output so far. */
  logs(): string;
  stop(): Promise<void>;
}

async function htpasswd(file: string, user: Credentials, create: boolean): Promise<void> {
  const res = await runCommand(requireTool("htpasswd"), [
    create ? "-Bbc" : "-Bb",
    file,
    user.username,
    user.password,
  ]);
  if (res.exitCode !== 0) throw new Error(`htpasswd failed (${res.exitCode}): ${res.stderr}`);
}

export async function startRegistry(opts: RegistryOptions): Promise<Registry> {
  const bin = requireTool("docker-registry");
  if (opts.auth === "token" && !opts.token)
    throw new Error("startRegistry: auth 'token' needs a token server");
  const dir = makeScratchDir("registry");
  try {
    const pki = opts.tls ? (opts.pki ?? (await createPki(dir))) : undefined;
    const dataDir = join(dir, "data");
    const htpasswdFile = opts.auth === "htpasswd" ? join(dir, "htpasswd") : undefined;

    if (htpasswdFile) {
      const users = opts.users ?? [];
      if (users.length === 0) writeFileSync(htpasswdFile, "");
      for (const [i, user] of users.entries()) await htpasswd(htpasswdFile, user, i === 0);
    }

    const configFor = (host: string): Record<string, unknown> => {
      const config: Record<string, unknown> = {
        version: 0.1,
        log: { level: opts.logLevel ?? "info", accesslog: { disabled: true } },
        storage: { filesystem: { rootdirectory: dataDir }, delete: { enabled: true } },
        http: {
          addr: host,
          secret: "not-a-secret-test-only",
          ...(pki ? { tls: { certificate: pki.serverCertFile, key: pki.serverKeyFile } } : {}),
        },
      };
      if (opts.auth === "htpasswd") {
        config.auth = { htpasswd: { realm: "basic-realm", path: htpasswdFile } };
      } else if (opts.auth === "token" && opts.token) {
        config.auth = {
          token: {
            realm: opts.token.realm,
            service: opts.token.service,
            issuer: opts.token.issuer,
            rootcertbundle: opts.token.signing.certFile,
          },
        };
      }
      return config;
    };

    // A clean environment: REGISTRY_* variables would override the config file.
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir };
    const ca = pki ? readFileSync(pki.caFile) : undefined;
    const configFile = join(dir, "config.yml");

    // The port is found by binding port 0 and released before the registry binds it; if another process took
    // it in between, the registry exits with "address already in use" and we try again with a new port.
    let port = 0;
    let host = "";
    let url = "";
    let proc: ServerProcess | undefined;
    for (let attempt = 1; !proc; attempt++) {
      port = await freePort();
      host = `${LOOPBACK}:${port}`;
      url = `${opts.tls ? "https" : "http"}://${host}`;
      // JSON is valid YAML, and avoids any quoting trouble with paths.
      writeFileSync(configFile, JSON.stringify(configFor(host), null, 2));
      const candidate = startServer(bin, ["serve", configFile], { env });
      const probeUrl = `${url}/v2/`;
      try {
        await waitUntil(
          `docker-registry on ${url}`,
          async () => {
            const status = await httpStatus(probeUrl, { ca });
            return status === 200 || status === 401;
          },
          {
            timeoutMs: 15_000,
            abortIf: () => (candidate.exited() ? "docker-registry exited" : undefined),
            describe: () => `registry log:\n${candidate.logs()}`,
          },
        );
        proc = candidate;
      } catch (e) {
        await candidate.stop();
        if (attempt >= 3 || !candidate.logs().includes("address already in use")) throw e;
      }
    }
    const server = proc;

    let stopped = false;
    return {
      host,
      url,
      port,
      auth: opts.auth,
      tls: opts.tls,
      caFile: pki?.caFile,
      certDir: pki?.certDir,
      htpasswdFile,
      dataDir,
      async addUser(user) {
        if (!htpasswdFile) throw new Error(`registry ${host} does not use htpasswd`);
        await htpasswd(htpasswdFile, user, false);
      },
      logs: () => server.logs(),
      async stop() {
        if (stopped) return;
        stopped = true;
        await server.stop();
        removeScratchDir(dir);
      },
    };
  } catch (e) {
    removeScratchDir(dir);
    throw e;
  }
}
