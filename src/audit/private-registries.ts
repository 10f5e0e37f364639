/**
 * Whether an image needs credentials. Registries never say so offline, so the audit only claims it on evidence:
 * the Pod's own secrets holding a key for the same registry that kubelet does not match (the `:443` spelling),
 * the registry kind (private ECR never serves anonymous pulls; ACR only with anonymous pull switched on),
 * a declaration (`--private-registry`, the config file), a pull secret scoped to a path of that registry, or
 * other workloads pulling the same owner's images with credentials (weaker evidence, hence a warning).
 *
 * Evidence is about the registry, so `host` and `host:443` count as one here; whether a credential is sent is
 * kubelet's decision alone, made by the keyring in pull-path.ts.
 */
import { normalizeKeyringKey, urlsMatch } from "../dockerconfig/index.js";
import { classifyRegistryHost } from "../hosts/index.js";
import { describeRef } from "./objects.js";
import { withoutDefaultPort } from "./pull-path.js";
import type { ResolvedImage } from "./pull-path.js";
import type { Severity } from "./types.js";

export interface PrivateEvidence {
  readonly severity: Severity;
  readonly reason: string;
  /** A fix specific to the evidence, when there is one. */
  readonly fix?: string;
}

/** Whether a kubelet image pattern covers the repository, spelled with or without the default :443. */
function sameRegistryMatch(key: string, repository: string): boolean {
  return urlsMatch(key, repository) || urlsMatch(withoutDefaultPort(key), withoutDefaultPort(repository));
}

function ownerPrefix(repository: string): string | undefined {
  const parts = withoutDefaultPort(repository).split("/");
  return parts.length >= 3 ? `${parts[0]}/${parts[1]}` : undefined;
}

export class PrivateRegistryJudge {
  private readonly declared: { pattern: string; key: string }[];
  private readonly scopedKeys = new Map<string, string>();
  private readonly owners = new Map<string, string>();

  constructor(declared: readonly string[], images: readonly ResolvedImage[]) {
    this.declared = declared.flatMap((pattern) => {
      const key = normalizeKeyringKey(pattern);
      return key === undefined ? [] : [{ pattern, key }];
    });
    for (const image of images) {
      for (const analysis of image.secrets.usable) {
        for (const entry of analysis.entries) {
          const key = normalizeKeyringKey(entry.key);
          if (key !== undefined && key.includes("/") && !this.scopedKeys.has(key))
            this.scopedKeys.set(
              key,
              `secret ${analysis.object.ref.namespace ?? ""}/${analysis.object.ref.name}`,
            );
        }
      }
      if (!image.repository || !image.host) continue;
      const kind = classifyRegistryHost(image.host).kind;
      if (kind === "dockerhub" || kind === "ecr-public") continue;
      // Evidence only from credentials that can work (an expired or refused one proves nothing).
      const working = image.matches.some((match) => {
        const verdict = match.entry.inspected?.credential?.acceptance.verdict;
        return (
          match.via === "key-match" &&
          match.entry.decoded !== undefined &&
          (verdict === "accepted" || verdict === "unknown")
        );
      });
      if (!working) continue;
      const owner = ownerPrefix(image.repository);
      if (owner && !this.owners.has(owner)) this.owners.set(owner, describeRef(image.pod.owner.ref));
    }
  }

  judge(image: ResolvedImage): PrivateEvidence | undefined {
    const { repository, host } = image;
    if (repository === undefined || host === undefined) return undefined;
    const [miss] = image.portMisses;
    if (miss) {
      const keyHost = miss.normalizedKey.split("/")[0] ?? miss.normalizedKey;
      // The image as written starts with its host unless it is a Docker Hub name, which never has a port.
      const respelled = image.image.startsWith(`${host}/`)
        ? `write the image as ${keyHost}${image.image.slice(host.length)}, or `
        : "";
      return {
        severity: "error",
        reason: `the Pod's pull secret ${miss.secret} holds credentials for this registry (key ${JSON.stringify(miss.key)}) that kubelet does not use: it compares ports as written, and ${host} is not ${keyHost}`,
        fix: `Spell the registry alike in the image and in the secret: ${respelled}add a key ${JSON.stringify(host)} to secret ${miss.secret}. pullwarden secret match IMAGE FILE shows what kubelet would try.`,
      };
    }
    for (const { pattern, key } of this.declared) {
      if (sameRegistryMatch(key, repository))
        return { severity: "error", reason: `it is declared private (${JSON.stringify(pattern)})` };
    }
    const info = classifyRegistryHost(host);
    if (info.kind === "ecr")
      return { severity: "error", reason: "private ECR registries never allow anonymous pulls" };
    if (info.kind === "acr")
      return {
        severity: "error",
        reason: `Azure Container Registry ${info.registryName} allows anonymous pulls only when anonymous pull access is enabled (it is off by default)`,
      };
    for (const [key, secret] of this.scopedKeys) {
      if (sameRegistryMatch(key, repository))
        return {
          severity: "error",
          reason: `${secret} holds credentials scoped to ${key}, so it is private`,
        };
    }
    const owner = ownerPrefix(repository);
    const example = owner ? this.owners.get(owner) : undefined;
    if (owner && example)
      return {
        severity: "warning",
        reason: `${example} pulls ${owner}/... images with credentials, so they are likely private`,
      };
    return undefined;
  }
}
