// The sandbox's private registry: Debian's docker-registry (distribution 2.8) on 127.0.0.1 over TLS (a CA made
// for this run) with htpasswd (bcrypt) auth, holding the images the scenario's Pods use.
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { buildImage } from "../../test/support/oci-image.js";
import { startRegistry } from "../../test/support/registry.js";
import type { Credentials, Registry } from "../../test/support/registry.js";
import { pushImageOrThrow } from "../../test/support/skopeo.js";
import { createPki } from "../../test/support/tls.js";

export interface SandboxRegistry {
  /** `127.0.0.1:PORT`. */
  host: string;
  /** The CA that verifies the registry's certificate. */
  caFile: string;
  /** The one user of the registry (fake, made for this run). */
  user: Credentials;
  /** Manifest digest of the pushed images (`sha256:…`), as a Pod's imageID names it. */
  digest: string;
  /** Bytes of the image (manifest, config and layer), as kubelet's "Pulled" event reports it. */
  imageSize: number;
  /** `<host>/<repository>:<tag>`. */
  image(repository: string): string;
  stop(): Promise<void>;
}

export const IMAGE_TAG = "1.0";

/** A password no one could guess and no shell would mangle. */
export function randomPassword(): string {
  return randomBytes(18).toString("base64url");
}

/** Starts the registry and pushes one small image under every name in `repositories`. */
export async function startSandboxRegistry(
  dir: string,
  repositories: readonly string[],
): Promise<SandboxRegistry> {
  const pkiDir = join(dir, "registry-pki");
  mkdirSync(pkiDir, { recursive: true });
  const pki = await createPki(pkiDir);
  const user: Credentials = { username: "sandbox", password: randomPassword() };
  const registry: Registry = await startRegistry({ auth: "htpasswd", tls: true, users: [user], pki });
  try {
    const built = buildImage(join(dir, "oci-image"), {
      tag: IMAGE_TAG,
      files: { "hello.txt": "hello from the pullwarden sandbox\n" },
    });
    const image = (repository: string): string => `${registry.host}/${repository}:${IMAGE_TAG}`;
    await Promise.all(
      repositories.map((r) =>
        pushImageOrThrow(built.ref, image(r), { creds: user, certDir: registry.certDir }),
      ),
    );
    return {
      host: registry.host,
      caFile: pki.caFile,
      user,
      digest: built.manifest.digest,
      imageSize: built.manifest.size + built.config.size + built.layer.size,
      image,
      stop: () => registry.stop(),
    };
  } catch (e) {
    await registry.stop();
    throw e;
  }
}
