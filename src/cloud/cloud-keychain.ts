/**
 * `check --from-cloud`: the keychain of "can my current cloud identity pull this image?". For each ECR or ACR
 * registry an image is on, the `cloud-token` source of that registry (region or registry name from the host,
 * src/hosts) is resolved through `resolveCredentials` (whichever way it mints: the clouds' SDKs or CLIs), once
 * per registry however many images it serves. The label names the identity that minted the token and its
 * expiry, never the token. A registry on no cloud is refused before anything is minted
 * (`cloudTokenTargetFor`).
 */
import { classifyRegistryHost } from "../hosts/index.js";
import type { Keychain, KeychainAttempt, KeychainImage } from "../registry/index.js";
import type { CloudTokenTarget } from "./cloud-token.js";
import { resolveCredentials } from "./resolve.js";
import type { ResolvedCredential, SourcePorts } from "./source.js";

/**
 * The `cloud-token` source that mints for a registry host: private ECR (any partition; the region from the
 * host) or ACR (any cloud; the registry name from the host); undefined for any other registry. Pure.
 */
export function cloudTokenTargetFor(host: string): CloudTokenTarget | undefined {
  const info = classifyRegistryHost(host);
  if (info.kind === "ecr") return { provider: "ecr", server: info.host, region: info.region };
  if (info.kind === "acr") return { provider: "acr", server: info.host, registryName: info.registryName };
  return undefined;
}

/** How a cloud keychain mints (resolveCredentials by default; tests pass their own). */
export type MintCloudToken = (target: CloudTokenTarget) => Promise<ResolvedCredential>;

/** Mints through the credential sources (src/cloud/resolve.ts), as `apply` and `secret create` do. */
export function mintThroughSources(ports: SourcePorts): MintCloudToken {
  return async (target) => {
    // A cloud-token source is never rotated here: the token is used once, for this check.
    const [credential] = await resolveCredentials(
      { kind: "cloud-token", ...target, rotateEverySeconds: 0 },
      ports,
    );
    if (!credential) throw new Error(`no credential was minted for ${target.server}`);
    return credential;
  };
}

/**
 * One minted credential per registry, for every image on it. An image on a registry no cloud mints for gets
 * an error (callers refuse such images first, with `cloudTokenTargetFor`); a failed mint rejects, with the
 * source's error (which identity asked and what it lacks).
 */
export function cloudKeychain(mint: MintCloudToken): Keychain {
  const byRegistry = new Map<string, Promise<KeychainAttempt>>();
  const attemptFor = async (target: CloudTokenTarget): Promise<KeychainAttempt> => {
    const credential = await mint(target);
    return {
      id: `cloud\u0000${target.server}`,
      label: {
        kind: "cloud",
        source: credential.source,
        username: credential.username,
        identity: credential.identity,
        ...(credential.expiresAt ? { expiresAt: credential.expiresAt.toISOString() } : {}),
      },
      credential: { username: credential.username, password: credential.password },
    };
  };
  return {
    async attemptsFor(image: KeychainImage) {
      const target = cloudTokenTargetFor(image.reference.domain);
      if (!target) throw new Error(`${image.reference.domain} is not an ECR or ACR registry`);
      let attempt = byRegistry.get(target.server);
      if (!attempt) {
        attempt = attemptFor(target);
        byRegistry.set(target.server, attempt);
      }
      return [await attempt];
    },
    warnings: [],
  };
}
