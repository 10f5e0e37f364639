/**
 * Finds the pull credentials in a text a user hands us: a raw `.dockerconfigjson`, a legacy `.dockercfg`, a
 * docker `config.json`, or Kubernetes manifests (YAML or JSON, several documents, `List`s) holding Secrets.
 * Raw JSON configs go straight to the position-aware docker config parser; manifests through the YAML parser.
 * Documents of other kinds (Deployments in a rendered chart) are skipped and counted.
 */
import { detectInputKind, dockerConfigFromSecret } from "../dockerconfig/index.js";
import { InputError } from "../errors.js";
import { parseManifestDocuments } from "./documents.js";
import { dockerConfigJsonSources } from "./docker-config-json.js";
import type { PullCredentialSource, PullCredentialSources } from "./pull-credential-source.js";

export type { PullCredentialSource, PullCredentialSources };

const DOCKER_KEYS = [".dockerconfigjson", ".dockercfg"];
const DOCKER_TYPES = new Set(["kubernetes.io/dockerconfigjson", "kubernetes.io/dockercfg"]);

/** A Secret of a docker type, or any Secret carrying a docker key (a wrong type is then reported). */
function holdsDockerConfig(object: unknown): boolean {
  const record = object as Record<string, unknown>;
  if (typeof record["type"] === "string" && DOCKER_TYPES.has(record["type"])) return true;
  return ["data", "stringData"].some((field) => {
    const map = record[field];
    return typeof map === "object" && map !== null && DOCKER_KEYS.some((key) => Object.hasOwn(map, key));
  });
}

export function loadPullCredentialSources(text: string, source: string): PullCredentialSources {
  const raw = dockerConfigJsonSources(text, source);
  if (raw !== undefined) return raw;
  const documents = parseManifestDocuments(text, source);
  const sources: PullCredentialSource[] = [];
  let skippedDocuments = 0;
  for (const document of documents) {
    const location = `${source}:${document.line}`;
    const kind = detectInputKind(document.object);
    if (kind === "secret" && holdsDockerConfig(document.object)) {
      const secret = dockerConfigFromSecret(document.object, location);
      const name = secret.namespace
        ? `${secret.namespace}/${secret.name ?? "?"}`
        : (secret.name ?? "(unnamed)");
      sources.push({
        label: `secret ${name} (${location})`,
        location,
        secret: {
          ...(secret.name !== undefined ? { name: secret.name } : {}),
          ...(secret.namespace !== undefined ? { namespace: secret.namespace } : {}),
          type: secret.type,
          key: secret.key,
        },
        config: secret.config,
        problems: secret.problems,
      });
    } else {
      skippedDocuments++;
    }
  }
  if (sources.length === 0) {
    throw new InputError(
      "E_NO_PULL_SECRET",
      `${source}: no pull secret found${skippedDocuments ? ` (${skippedDocuments} documents of other kinds)` : ""}`,
      { source, hint: "pass a Secret manifest, a .dockerconfigjson, or a docker config.json" },
    );
  }
  return { sources, skippedDocuments };
}
