// startWorld(): everything a pull test needs, started in parallel where possible:
//   - a TLS + htpasswd registry ("basic"),
//   - a token server and a TLS + token-auth registry ("token"),
//   - org/app:1.0 and the multi-platform org/multi:1.0 pushed to both,
//   - containerd with hosts.toml for both registries.
import { join } from "node:path";
import { startContainerd } from "./containerd.js";
import type { Containerd } from "./containerd.js";
import { buildImage, buildMultiPlatformImage } from "./oci-image.js";
import type { BuiltImage, BuiltIndex } from "./oci-image.js";
import { startRegistry } from "./registry.js";
import type { Credentials, Registry } from "./registry.js";
import { makeScratchDir, removeScratchDir } from "./scratch.js";
import { pushImageOrThrow } from "./skopeo.js";
import { createPki, createSigningKey } from "./tls.js";
import type { Pki, SigningKey } from "./tls.js";
import { startTokenServer } from "./token-server.js";
import type { TokenServer, TokenUser } from "./token-server.js";

export const WORLD_USER: Credentials = { username: "testuser", password: "testpass" };
export const APP_REPO = "org/app";
export const MULTI_REPO = "org/multi";
export const TAG = "1.0";

export interface WorldOptions {
  /** Users of both registries (default: [WORLD_USER]); the first one pushes. */
  users?: TokenUser[];
  /** Skip containerd (faster for suites that only need registries). */
  containerd?: boolean;
  snapshotter?: "overlayfs" | "native";
}

export interface World {
  dir: string;
  pki: Pki;
  signing: SigningKey;
  user: Credentials;
  users: TokenUser[];
  /** TLS + htpasswd registry. */
  basic: Registry;
  /** Token server for `token`. */
  tokenServer: TokenServer;
  /** TLS + token-auth registry. */
  token: Registry;
  /** undefined when started with `containerd: false`. */
  containerd: Containerd | undefined;
  images: {
    /** `org/app:1.0` as built (single platform linux/amd64). */
    app: BuiltImage;
    /** `org/multi:1.0` as built (index: linux/amd64 + linux/arm64). */
    multi: BuiltIndex;
  };
  /** `<registry.host>/<repo>:<tag>`. */
  ref(registry: Registry, repo?: string, tag?: string): string;
  stop(): Promise<void>;
}

/** Awaits every start; registers each started component's stop(), then throws the first failure if any. */
async function allStarted<T extends { stop(): Promise<void> }>(
  stops: (() => Promise<void>)[],
  starts: Promise<T>[],
): Promise<T[]> {
  const settled = await Promise.allSettled(starts);
  for (const r of settled) if (r.status === "fulfilled") stops.push(() => r.value.stop());
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<T>).value);
}

export async function startWorld(opts: WorldOptions = {}): Promise<World> {
  const users = opts.users ?? [WORLD_USER];
  const pusher = users[0];
  if (!pusher) throw new Error("startWorld: at least one user is needed");
  const dir = makeScratchDir("world");
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    const errors: unknown[] = [];
    for (const s of stops.reverse()) {
      try {
        await s();
      } catch (e) {
        errors.push(e);
      }
    }
    stops.length = 0;
    removeScratchDir(dir);
    if (errors.length) throw new AggregateError(errors, "stopping the world failed");
  };
  try {
    const [pki, signing] = await Promise.all([createPki(dir), createSigningKey(dir)]);
    const app = buildImage(join(dir, "oci-app"), {
      tag: TAG,
      files: { "hello.txt": "hello from org/app:1.0\n" },
    });
    const multi = buildMultiPlatformImage(join(dir, "oci-multi"), { tag: TAG });

    const tokenServer = await startTokenServer({
      tlsCertFile: pki.serverCertFile,
      tlsKeyFile: pki.serverKeyFile,
      signing,
      users,
    });
    stops.push(() => tokenServer.stop());

    const [basic, token] = (await allStarted(stops, [
      startRegistry({ auth: "htpasswd", tls: true, users, pki }),
      startRegistry({ auth: "token", tls: true, token: tokenServer, pki }),
    ])) as [Registry, Registry];

    const creds = { username: pusher.username, password: pusher.password };
    const pushes = [basic, token].flatMap((r) => [
      pushImageOrThrow(app.ref, `${r.host}/${APP_REPO}:${TAG}`, { creds, certDir: r.certDir }),
      pushImageOrThrow(multi.ref, `${r.host}/${MULTI_REPO}:${TAG}`, { creds, certDir: r.certDir }),
    ]);
    const containerdStart =
      opts.containerd === false
        ? Promise.resolve(undefined)
        : startContainerd({ registries: [basic, token], snapshotter: opts.snapshotter }).then((c) => {
            stops.push(() => c.stop());
            return c;
          });
    // allSettled: nothing may still be starting when a failure tears the world down.
    const settled = await Promise.allSettled([containerdStart, ...pushes]);
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
    const containerd = await containerdStart;

    return {
      dir,
      pki,
      signing,
      user: creds,
      users,
      basic,
      tokenServer,
      token,
      containerd,
      images: { app, multi },
      ref: (registry, repo = APP_REPO, tag = TAG) => `${registry.host}/${repo}:${tag}`,
      stop: stopAll,
    };
  } catch (e) {
    await stopAll().catch(() => {});
    throw e;
  }
}
