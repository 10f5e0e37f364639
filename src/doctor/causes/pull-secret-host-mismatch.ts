import { explainUrlsMatch } from "../../dockerconfig/index.js";
import type { UrlsMatchReason } from "../../dockerconfig/index.js";
import type { InspectedEntry } from "../../inspect/index.js";
import type { ImageContext } from "../context.js";
import type { SecretEvidence } from "../evidence.js";
import { candidate } from "../model.js";
import type { CauseDefinition } from "./definition.js";
import { SECRET_CHECKS } from "./shared/checks.js";
import { addPullSecretCommands } from "./shared/fixes.js";
import { AUTH_EXPLAINED, authWeight, imagesWithKnownCredentials, secretRef } from "./shared/pull-secrets.js";

const MATCH_REASONS: Record<UrlsMatchReason, string> = {
  matched: "matches",
  "key-unparseable": "kubelet cannot parse the key",
  "target-unparseable": "the image name cannot be parsed",
  "port-mismatch": "the port differs (kubelet compares ports as written: no port is not :443)",
  "label-count-mismatch":
    "the host differs (a different number of DNS labels; a * matches exactly one label)",
  "path-not-prefix": "the key's path is not a prefix of the image's repository",
  "label-mismatch": "the host differs",
  "bad-pattern": "the key is a malformed pattern",
};

function entryMismatchLine(secret: SecretEvidence, entry: InspectedEntry, image: ImageContext): string {
  const normalized = entry.coverage?.normalizedKey;
  const target = image.lookupName ?? image.image;
  if (normalized === undefined)
    return `Secret ${secretRef(secret)} key ${entry.key}: kubelet cannot parse this key and ignores the entry`;
  if (normalized.toLowerCase() === "registry-1.docker.io") {
    return `Secret ${secretRef(secret)} key ${entry.key}: kubelet never matches registry-1.docker.io (Docker Hub images are looked up as docker.io/...); key it docker.io or https://index.docker.io/v1/`;
  }
  if (normalized === "index.docker.io" && image.registry?.kind !== "dockerhub") {
    return `Secret ${secretRef(secret)} key ${entry.key}: serves Docker Hub images only (kubelet's Docker Hub fallback), but ${image.image} is on ${image.host ?? "another registry"}`;
  }
  const reason = explainUrlsMatch(normalized, target).reason;
  return `Secret ${secretRef(secret)} key ${entry.key} (kubelet key ${normalized}) does not match ${target}: ${MATCH_REASONS[reason]}`;
}

export const cause: CauseDefinition<"pull-secret-host-mismatch"> = {
  id: "pull-secret-host-mismatch",
  title: "No pull secret entry matches the image's registry, so kubelet pulls anonymously",
  category: "pull-secret",
  checks: SECRET_CHECKS,
  // The Pod's usable Secrets have entries, and none matches the image (with none at all: no-pull-credential).
  detect(ctx) {
    const secrets = ctx.podSecrets ?? [];
    const usable = secrets.filter((s) => s.state === "found" && s.docker?.kubelet === "uses");
    const entries = usable.flatMap((secret) =>
      (secret.docker?.entries ?? []).map((entry) => ({ secret, entry })),
    );
    if (entries.length === 0) return [];
    // A Secret doctor could not read may hold the matching entry: then the mismatch is only likely.
    const unread = secrets.filter((s) => s.state === "forbidden" || s.state === "error");
    const dockerHubNever = entries.some(
      (e) => e.entry.coverage?.normalizedKey.toLowerCase() === "registry-1.docker.io",
    );
    return imagesWithKnownCredentials(ctx)
      .filter((image) => image.matches.length === 0)
      .map((image) =>
        candidate("pull-secret-host-mismatch", 0.9 * authWeight(image.auth) * (unread.length > 0 ? 0.5 : 1), {
          image: image.image,
          containers: image.containers.map((c) => c.name),
          secrets: [...new Set(entries.map((e) => e.secret.name))],
          title: `No pull secret entry matches ${image.host ?? "the image's registry"}, so kubelet pulls ${image.image} anonymously`,
          evidence: [
            `kubelet looks up credentials for ${image.lookupName ?? image.image}`,
            ...entries.slice(0, 6).map((e) => entryMismatchLine(e.secret, e.entry, image)),
            ...unread.map(
              (s) => `Secret ${secretRef(s)} could not be read (${s.state}); it may hold a matching entry`,
            ),
          ],
          fix: {
            explanation: dockerHubNever
              ? "Recreate the Docker Hub credential keyed docker.io (or https://index.docker.io/v1/, kubectl's default); registry-1.docker.io is never matched."
              : `Add a credential keyed exactly ${image.registry?.kind === "dockerhub" ? "docker.io" : (image.host ?? "the image's host")} (kubelet matches the key to the image's host, port included), in a Secret the Pod references.`,
            commands: addPullSecretCommands({ ctx, image }),
          },
          explains: AUTH_EXPLAINED,
        }),
      );
  },
};
