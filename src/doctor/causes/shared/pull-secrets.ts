/**
 * Facts about the Pod's pull secrets that the pull-secret and credential causes share: which Secrets the Pod
 * names (as kubelet reads them), how much a secret problem matters given how the images fail, the credentials
 * kubelet would try for an image and which of them are bad.
 */
import type { AuthState, DiagnosisContext, ImageContext, KeyringMatchInfo } from "../../context.js";
import type { SecretElsewhere, SecretEvidence } from "../../evidence.js";
import { nsFlag, recreatePodCommands, setPullSecretsCommand } from "../../fix-commands.js";
import { similarNames } from "../../similar-names.js";
import type { CauseId } from "../ids.js";
import { GENERIC_AUTH_CAUSES } from "../ids.js";
import { failingImages } from "./images.js";
import { shQuote } from "../../../text/index.js";

/** What a problem with the Pod's Secrets explains: the generic auth failures and kubelet's missing-Secret message. */
export const AUTH_EXPLAINED: readonly CauseId[] = [...GENERIC_AUTH_CAUSES, "pull-secret-missing"];

/**
 * What a cause about another pull path (the ServiceAccount's Secrets, the node's identity) explains: the generic
 * auth failures, and the host mismatch the Pod's own Secrets then show.
 */
export const PULL_PATH_EXPLAINED: readonly CauseId[] = [...GENERIC_AUTH_CAUSES, "pull-secret-host-mismatch"];

/** How much an auth/secret problem matters, given how the image fails. */
export function authWeight(state: AuthState): number {
  return state === "auth" ? 1 : state === "unknown" ? 0.8 : state === "blurred" ? 0.5 : 0.35;
}

/** The weight of a Pod-wide secret problem: the most auth-like failing image decides. */
export function podWeight(ctx: DiagnosisContext): number {
  const failing = failingImages(ctx);
  if (failing.length === 0) return 0.3;
  return Math.max(...failing.map((i) => authWeight(i.auth)));
}

/**
 * The Secrets the Pod's imagePullSecrets name, each once, in the Pod's order (kubelet uses only those); empty
 * when the Secrets were not looked up.
 */
export function podPullSecrets(ctx: DiagnosisContext): SecretEvidence[] {
  const ev = ctx.evidence;
  if (ev.secrets === undefined || ev.pod.imagePullSecrets === undefined) return [];
  const out: SecretEvidence[] = [];
  const seen = new Set<string>();
  for (const name of ev.pod.imagePullSecrets) {
    if (name === "" || seen.has(name)) continue;
    seen.add(name);
    const secret = ev.secrets.find((s) => s.name === name && s.referencedBy.includes("pod"));
    if (secret) out.push(secret);
  }
  return out;
}

/**
 * The failing images whose credentials kubelet would try are known (the Secrets were looked up) and whose
 * reference parses.
 */
export function imagesWithKnownCredentials(ctx: DiagnosisContext): (ImageContext & {
  readonly matches: readonly KeyringMatchInfo[];
})[] {
  const ev = ctx.evidence;
  if (ev.secrets === undefined || ev.pod.imagePullSecrets === undefined) return [];
  return failingImages(ctx).filter(
    (image): image is ImageContext & { readonly matches: readonly KeyringMatchInfo[] } =>
      image.matches !== undefined && image.refError === undefined,
  );
}

/** A Secret the Pod names that its namespace does not have, and what may explain it. */
export interface MissingSecret {
  readonly secret: SecretEvidence;
  /** The Pod's namespace. */
  readonly namespace: string;
  /** The evidence lines every missing-Secret cause starts with. */
  readonly lines: readonly string[];
  /** The closest name of a Secret in the namespace (a typo?). */
  readonly closest?: string;
  /** The other namespaces that have a Secret of that name. */
  readonly elsewhere?: SecretElsewhere;
}

/**
 * The Pod's Secrets that are missing, in the Pod's order. A close name in the namespace makes it a typo; else
 * the same name in another namespace makes it misplaced; else it is just missing.
 */
export function missingPodSecrets(ctx: DiagnosisContext): MissingSecret[] {
  const ev = ctx.evidence;
  return podPullSecrets(ctx)
    .filter((secret) => secret.state === "missing")
    .map((secret) => {
      const namespace = secret.namespace || ev.pod.namespace;
      const closest = similarNames(secret.name, ev.namespaceSecrets?.map((s) => s.name) ?? [])[0];
      const elsewhere = ev.elsewhere?.find((e) => e.name === secret.name && e.namespaces.length > 0);
      return {
        secret,
        namespace,
        lines: [
          `the Pod's imagePullSecrets name ${secret.name}, and namespace ${namespace} has no Secret of that name`,
          "kubelet skips a missing Secret and pulls with the remaining credentials, or anonymously",
        ],
        ...(closest !== undefined ? { closest } : {}),
        ...(elsewhere ? { elsewhere } : {}),
      };
    });
}

export function secretRef(secret: { namespace: string; name: string }): string {
  return `${secret.namespace || "?"}/${secret.name}`;
}

export function replaceName(list: readonly string[], from: string, to: string): string[] {
  return [...new Set(list.map((n) => (n === from ? to : n)).filter((n) => n !== ""))];
}

/** Re-creates a Secret's docker config under the right type and key, as a new Secret (types are immutable). */
export function rebuildCommands(
  ctx: DiagnosisContext,
  secret: SecretEvidence,
  sourceKey: string,
  targetName: string,
): string[] {
  const ns = nsFlag(secret.namespace || undefined);
  const template = shQuote(`{{index .data "${sourceKey.replace(/["\\{}]/g, "")}" | base64decode}}`);
  const commands = [
    `kubectl ${ns} create secret generic ${shQuote(targetName)} --type=kubernetes.io/dockerconfigjson --from-file=.dockerconfigjson=<(kubectl ${ns} get secret ${shQuote(secret.name)} -o go-template=${template})`,
  ];
  const current = ctx.evidence.pod.imagePullSecrets ?? [];
  const patch = setPullSecretsCommand(
    ctx.evidence.pod,
    ctx.evidence.source,
    replaceName(current, secret.name, targetName),
  );
  commands.push(...(patch ? [patch] : recreatePodCommands(ctx.evidence.pod, ctx.evidence.source)));
  return commands;
}

/** The new name for a Secret rebuilt with the right type and key. */
export function rebuiltName(secret: SecretEvidence): string {
  return `${secret.name}-dockerconfigjson`.slice(0, 253);
}

export function credentialLabel(match: KeyringMatchInfo): string {
  const credential = match.entry.credential;
  return `Secret ${secretRef(match.secret)} key ${match.entry.key}${credential ? ` (${credential.token.label})` : " (no credential)"}`;
}

/** A credential kubelet would try that cannot work: expired, rejected by kind, not yet valid, or absent. */
export interface BadCredential {
  readonly match: KeyringMatchInfo;
  /** "kubelet tries …" and, when other credentials are tried too, which. */
  readonly lines: readonly string[];
  /** 1 when every credential tried is bad (the pull is sure to fail for this reason), else 0.55. */
  readonly share: number;
}

/** A credential that cannot work whatever the registry says: expired, of a refused kind, not yet valid, or none. */
export function isBadCredential(match: KeyringMatchInfo): boolean {
  const verdict = match.entry.credential?.acceptance.verdict;
  return (
    verdict === "expired" ||
    verdict === "rejected" ||
    verdict === "not-yet-valid" ||
    match.entry.credential === undefined
  );
}

/** The bad credentials among those kubelet would try for the image, in kubelet's order. */
export function badCredentials(
  image: ImageContext & { matches: readonly KeyringMatchInfo[] },
): BadCredential[] {
  const matches = image.matches;
  const bad = matches.filter(isBadCredential);
  // kubelet tries every match; only when all are bad is the pull sure to fail for this reason.
  const allBad = bad.length === matches.length;
  const share = allBad ? 1 : 0.55;
  return bad.map((match) => ({
    match,
    share,
    lines: [
      `kubelet tries ${credentialLabel(match)} for ${image.lookupName ?? image.image}`,
      ...(allBad
        ? []
        : [
            `other credentials are tried too: ${matches
              .filter((m) => !bad.includes(m))
              .map(credentialLabel)
              .join("; ")}`,
          ]),
    ],
  }));
}

/** "kubelet tries …" lines for an image, for the evidence of auth-related diagnoses. */
export function credentialLines(image: ImageContext): string[] {
  if (image.matches === undefined) return [];
  if (image.matches.length === 0)
    return [`no credential of the Pod's pull secrets matches ${image.lookupName ?? image.image}`];
  return image.matches.map((m, i) => {
    const credential = m.entry.credential;
    const status = credential ? `: ${credential.acceptance.verdict}` : "";
    return `kubelet tries #${i + 1}: ${credentialLabel(m)}${m.via === "docker-hub-fallback" ? " via the Docker Hub fallback" : ""}${status}`;
  });
}
