/**
 * Entry of the `pullwarden-credential-provider` single executable built with a V8 startup snapshot
 * (scripts/build-binaries.mjs, `useSnapshot`; docs/release.md has the figures). The build runs this module: every
 * module main.ts loads is evaluated then and its heap kept in the executable, and each run deserialises that heap
 * and calls startProviderExecutable instead of compiling and evaluating the bundle (kubelet execs the plugin per
 * image cache miss). What that evaluation reaches reads no argv, environment, working directory or stdin: the
 * run reads them when it starts (executable.ts). The cloud SDKs are not evaluated here: they load on an ECR or
 * ACR image, as from main.ts.
 */
import { Readable, Writable } from "node:stream";
import { startupSnapshot } from "node:v8";
import { decodeCredentialProviderRequest } from "./decode-request.js";
import { encodeCredentialProviderResponse } from "./encode-response.js";
import { startProviderExecutable } from "./executable.js";
import { runPlugin } from "./plugin.js";
import { serveCredentialRequest } from "./serve.js";
import { parseStaticCredentials } from "./static-credentials.js";

startupSnapshot.setDeserializeMainFunction(startProviderExecutable);

/**
 * Answers two requests in memory while the snapshot is built, so the bytecode V8 compiles for the request path
 * (reading stdin, decoding, the static file's parser and keyring match, encoding) is in the snapshot and no run
 * compiles it again: a static answer took 3 ms less. Nothing it touches outlives it: no file, no environment,
 * a fixed clock, no cloud source.
 */
async function compileRequestPath(): Promise<void> {
  const request = JSON.stringify({
    apiVersion: "credentialprovider.kubelet.k8s.io/v1",
    kind: "CredentialProviderRequest",
    image: "ghcr.io/org/app:1",
  });
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  const noCloud = (): Promise<never> =>
    Promise.reject(new Error("no cloud source while building the snapshot"));
  const code = await runPlugin(
    {},
    {
      stdin: Readable.from([Buffer.from(request)]),
      stdout: discard,
      stderr: discard,
      env: {},
      now: () => new Date(0),
      uid: 0,
      cloudSources: noCloud,
    },
  );
  if (code !== 0) throw new Error("the snapshot's in-memory request failed");
  const staticCredentials = parseStaticCredentials(
    JSON.stringify({ auths: { "ghcr.io": { username: "build", password: "placeholder" } } }),
    "snapshot build",
  );
  const { response } = await serveCredentialRequest(decodeCredentialProviderRequest(request), {
    staticCredentials,
    cloudSources: noCloud,
    env: {},
    now: () => new Date(0),
  });
  encodeCredentialProviderResponse(response);
}

// A failure fails the build (the snapshot builder exits on an unhandled rejection).
void compileRequestPath();
