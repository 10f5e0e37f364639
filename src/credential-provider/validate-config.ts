/**
 * kubelet's checks of a CredentialProviderConfig (k8s.io/kubernetes v1.37.2 pkg/credentialprovider/plugin
 * config.go `validateCredentialProviderConfig`, with the KubeletServiceAccountTokenForCredentialProviders gate on,
 * its default since 1.34), then the traps kubelet accepts silently and that leave Pods without credentials:
 *
 * - a glob in the path of `matchImages` (the path is a raw prefix: `registry.io/*` matches only paths that start
 *   with `*`);
 * - a host glob with at most one literal label (`*.io`: this provider is asked for every `.io` registry);
 * - ECR patterns that miss the FIPS and dual-stack hosts (a `*` is one label: `*.dkr.ecr.*.amazonaws.com` matches
 *   neither `dkr.ecr-fips` nor `dkr-ecr.<region>.on.aws`);
 * - ServiceAccount-token mode details: required annotations (Pods without them silently get nothing), the
 *   annotations the ECR and ACR sources read not being passed at all.
 *
 * Pure: files are read by the caller.
 */
import { urlsMatch } from "../dockerconfig/index.js";
import { parseGoUrl } from "../dockerconfig/go-url.js";
import { parseGoDuration } from "../duration.js";
import { classifyRegistryHost } from "../hosts/index.js";
import { qualifiedNameProblems } from "../kube-model/index.js";
import { ecrPattern } from "../plan/credential-provider.js";
import { ACR_CLIENT_ID_ANNOTATION, ACR_TENANT_ID_ANNOTATION, ECR_ROLE_ANNOTATION } from "./cloud-identity.js";
import type { DecodedProvider } from "./kubelet-config.js";
import { PROTOCOL_API_VERSIONS, SERVICE_ACCOUNT_API_VERSION } from "./protocol.js";

export interface ConfigFinding {
  /** error: kubelet refuses the config (and does not start); warning: accepted, but Pods miss credentials. */
  readonly severity: "error" | "warning";
  readonly file: string;
  /** `providers[0].matchImages[1]`, or "" for the whole config. */
  readonly path: string;
  readonly message: string;
  readonly fix?: string;
}

const CACHE_TYPES = ["ServiceAccount", "Token"];

/** Hosts that stand for the ECR endpoint families, to see which a provider's matchImages cover. */
const ECR_PROBES = [
  { host: "123456789012.dkr.ecr.us-east-1.amazonaws.com", what: "standard" },
  { host: "123456789012.dkr.ecr-fips.us-east-1.amazonaws.com", what: "FIPS" },
  { host: "123456789012.dkr-ecr.us-east-1.on.aws", what: "dual-stack" },
  { host: "123456789012.dkr-ecr-fips.us-east-1.on.aws", what: "FIPS dual-stack" },
] as const;
const ACR_PROBE = "example.azurecr.io";

function hasGlob(text: string): boolean {
  return /[*?[\\]/.test(text);
}

function providerFindings(decoded: DecodedProvider, seen: Set<string>): ConfigFinding[] {
  const { provider, file, index } = decoded;
  const at = `providers[${index}]`;
  const findings: ConfigFinding[] = [];
  const error = (path: string, message: string, fix?: string): void => {
    findings.push({ severity: "error", file, path, message, ...(fix ? { fix } : {}) });
  };
  const warning = (path: string, message: string, fix?: string): void => {
    findings.push({ severity: "warning", file, path, message, ...(fix ? { fix } : {}) });
  };

  const name = provider.name;
  if (name.includes("/")) error(`${at}.name`, "provider name cannot contain '/'");
  if (name.includes(" ")) error(`${at}.name`, "provider name cannot contain spaces");
  if (name === "." || name === "..") error(`${at}.name`, `provider name cannot be '${name}'`);
  if (seen.has(name)) error(`${at}.name`, `duplicate provider name ${JSON.stringify(name)}`);
  seen.add(name);

  if (provider.apiVersion === "") error(`${at}.apiVersion`, "required");
  else if (!(PROTOCOL_API_VERSIONS as readonly string[]).includes(provider.apiVersion)) {
    error(
      `${at}.apiVersion`,
      `${JSON.stringify(provider.apiVersion)} is not supported: ${[...PROTOCOL_API_VERSIONS].sort().join(", ")}`,
    );
  }

  if (provider.matchImages.length === 0)
    error(`${at}.matchImages`, "at least 1 item in matchImages is required");
  provider.matchImages.forEach((pattern, i) => {
    const path = `${at}.matchImages[${i}]`;
    const parsed = parseGoUrl(`https://${pattern}`);
    if (!parsed.ok) {
      error(path, `match image is invalid: ${parsed.error}`);
      return;
    }
    const urlPath = parsed.url.path;
    if (hasGlob(urlPath)) {
      warning(
        path,
        `${JSON.stringify(pattern)}: the path is compared as a literal prefix, not a glob, so this matches only images whose path starts with ${JSON.stringify(urlPath.slice(1))}`,
        `drop the path (${JSON.stringify(parsed.url.host)}) or write the literal repository prefix`,
      );
    }
    const hostname = parsed.url.host.replace(/:[0-9]*$/, "");
    const labels = hostname.split(".");
    const literal = labels.filter((label) => !hasGlob(label));
    if (labels.some(hasGlob) && literal.length <= 1) {
      warning(
        path,
        `${JSON.stringify(pattern)} matches every ${labels.length}-label host${literal.length === 1 ? ` under .${literal[0]}` : ""}: kubelet runs this provider for all of those registries`,
        "name the registry's own domain (e.g. *.azurecr.io, ghcr.io)",
      );
    }
  });
  const covers = (host: string): boolean =>
    provider.matchImages.some((pattern) => urlsMatch(pattern, `${host}/x`));
  if (covers(ECR_PROBES[0].host)) {
    for (const probe of ECR_PROBES.slice(1)) {
      if (covers(probe.host)) continue;
      const info = classifyRegistryHost(probe.host);
      const add = info.kind === "ecr" ? ecrPattern(info.hostname, info.region, info.dnsSuffix) : probe.host;
      warning(
        `${at}.matchImages`,
        `ECR's ${probe.what} hosts (such as ${probe.host}) are not matched: a '*' is exactly one host label`,
        `add ${JSON.stringify(add)} if nodes pull from them`,
      );
    }
  }

  if (provider.defaultCacheDuration === undefined) error(`${at}.defaultCacheDuration`, "required");
  else if ((parseGoDuration(provider.defaultCacheDuration) ?? 0) < 0) {
    error(`${at}.defaultCacheDuration`, "must be greater than or equal to 0");
  }

  const token = provider.tokenAttributes;
  if (token) {
    const tokenAt = `${at}.tokenAttributes`;
    if (!token.serviceAccountTokenAudience) error(`${tokenAt}.serviceAccountTokenAudience`, "required");
    if (token.requireServiceAccount === undefined) error(`${tokenAt}.requireServiceAccount`, "required");
    if (provider.apiVersion !== SERVICE_ACCOUNT_API_VERSION) {
      error(tokenAt, `tokenAttributes is only supported for ${SERVICE_ACCOUNT_API_VERSION} API version`);
    }
    const required = token.requiredServiceAccountAnnotationKeys ?? [];
    const optional = token.optionalServiceAccountAnnotationKeys ?? [];
    if (token.requireServiceAccount === false && required.length > 0) {
      error(
        `${tokenAt}.requiredServiceAccountAnnotationKeys`,
        "requireServiceAccount cannot be false when requiredServiceAccountAnnotationKeys is set",
      );
    }
    for (const [field, keys] of [
      ["requiredServiceAccountAnnotationKeys", required],
      ["optionalServiceAccountAnnotationKeys", optional],
    ] as const) {
      const keysSeen = new Set<string>();
      for (const key of keys) {
        for (const problem of qualifiedNameProblems(key.toLowerCase())) {
          error(`${tokenAt}.${field}`, `${JSON.stringify(key)}: ${problem}`);
        }
        if (keysSeen.has(key))
          error(`${tokenAt}.${field}`, `duplicate annotation key ${JSON.stringify(key)}`);
        keysSeen.add(key);
      }
    }
    const both = required.filter((key) => optional.includes(key));
    if (both.length > 0)
      error(tokenAt, `annotation keys cannot be both required and optional: ${both.join(", ")}`);
    if (!token.cacheType) {
      error(
        `${tokenAt}.cacheType`,
        "cacheType is required to be set when tokenAttributes is specified (kubelet 1.33 accepted it without; 1.34 and later refuse to start)",
        "cacheType: ServiceAccount for ECR, ACR and static credentials (they depend on the ServiceAccount, not the token)",
      );
    } else if (!CACHE_TYPES.includes(token.cacheType)) {
      error(
        `${tokenAt}.cacheType`,
        `${JSON.stringify(token.cacheType)} is not supported: ${CACHE_TYPES.join(", ")}`,
      );
    }
    if (required.length > 0) {
      warning(
        `${tokenAt}.requiredServiceAccountAnnotationKeys`,
        `Pods whose ServiceAccount lacks ${required.join(" or ")} get no credentials from this provider, silently (kubelet logs it only at -v=5)`,
      );
    }
    const passed = new Set([...required, ...optional]);
    if (covers(ECR_PROBES[0].host) && !passed.has(ECR_ROLE_ANNOTATION)) {
      warning(
        tokenAt,
        `${ECR_ROLE_ANNOTATION} is not in the annotation keys, so kubelet never passes the role: ECR pulls use the node's identity`,
        `add ${ECR_ROLE_ANNOTATION} to optionalServiceAccountAnnotationKeys`,
      );
    }
    const missingAcr = [ACR_CLIENT_ID_ANNOTATION, ACR_TENANT_ID_ANNOTATION].filter((key) => !passed.has(key));
    if (covers(ACR_PROBE) && missingAcr.length > 0) {
      warning(
        tokenAt,
        `${missingAcr.join(" and ")} ${missingAcr.length > 1 ? "are" : "is"} not in the annotation keys, so ACR pulls with a ServiceAccount token fail`,
        `add ${missingAcr.join(" and ")} to requiredServiceAccountAnnotationKeys`,
      );
    }
  }
  return findings;
}

/** Every finding for the merged providers of one config (a file, or a directory's files in order). */
export function validateKubeletConfig(providers: readonly DecodedProvider[], file: string): ConfigFinding[] {
  if (providers.length === 0) {
    return [
      { severity: "error", file, path: "providers", message: "at least 1 item in plugins is required" },
    ];
  }
  const seen = new Set<string>();
  return providers.flatMap((provider) => providerFindings(provider, seen));
}
