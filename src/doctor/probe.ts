/**
 * `doctor --probe`: for each image a Pod fails to pull, the registry access check (`checkImages`, src/registry)
 * anonymously (is the image public?) and with every credential kubelet would send for it: the kubelet keychain
 * over the Pod's own pull secrets (`pullSecretAttempts`), in kubelet's order. Every attempt is made, since the
 * diagnosis weighs each answer; identical probes (same image, same Secret entry) across Pods run once. With
 * `github`, each GitHub token sent to ghcr.io is also shown to the GitHub API (its scopes and expiry). The
 * Secrets are data given by the gatherer; credentials are decoded here and handed to the access check only:
 * the Evidence keeps the Secret's name and the key (through the one key redaction).
 */
import { probeGhcrCredentials } from "../cloud/github/probe-credentials.js";
import type { GitHubProbeOptions } from "../cloud/github/probe-token.js";
import type { GitHubTokenReport } from "../cloud/github/token-scopes.js";
import { dockerConfigFromSecret } from "../dockerconfig/index.js";
import { REGISTRY_PULL_FAILURE_REASONS } from "../kube-model/index.js";
import { parseNormalizedReference } from "../reference/index.js";
import type { ImageReference } from "../reference/index.js";
import { checkImages, pullSecretAttempts } from "../registry/index.js";
import type {
  CredentialLabel,
  Keychain,
  KeychainAttempt,
  PullSecretSource,
  Transport,
  TransportOptions,
} from "../registry/index.js";
import type { ProbeCredential, ProbeEvidence } from "./evidence.js";
import { podEvidenceFromObject } from "./from-objects.js";

/** A Secret as read from the API server (the fields the probe reads). */
export interface ProbeSecret {
  readonly metadata: { readonly name?: string };
  readonly type?: string;
  readonly data?: Readonly<Record<string, string>>;
}

/** A Pod to probe: the Pod object, and the Secrets it names itself (kubelet uses only those), as read. */
export interface PodToProbe {
  readonly pod: unknown;
  readonly secrets: readonly ProbeSecret[];
}

export interface ProbeSettings {
  readonly transport: TransportOptions;
  /** The HTTP client (kept open); by default one is made from `transport`. */
  readonly client?: Transport;
  readonly plainHttp: boolean;
  readonly concurrency: number;
  readonly now: () => Date;
  /** Also ask the GitHub API about each GitHub token sent to ghcr.io (src/cloud/github); undefined: do not. */
  readonly github?: GitHubProbeOptions;
}

/**
 * The images of the Pod's containers that wait on a pull the registry answered or failed to answer (the spec's
 * image strings, in container order): asking the registry tells why. Images that never reached it
 * (InvalidImageName, ErrImageNeverPull) are not probed.
 */
export function failingImages(pod: unknown): string[] {
  const images = podEvidenceFromObject(pod)
    .containers.filter((c) => c.waiting !== undefined && REGISTRY_PULL_FAILURE_REASONS.has(c.waiting.reason))
    .map((c) => c.image)
    .filter((image) => image !== "");
  return [...new Set(images)];
}

/** One image of one Pod, as `checkImages` sees it. */
interface PodImage {
  readonly reference: ImageReference;
  /** As in the container spec. */
  readonly text: string;
  readonly pod: number;
}

interface PodSecrets {
  readonly sources: readonly PullSecretSource[];
  /** Secret name by source label. */
  readonly names: ReadonlyMap<string, string>;
}

const ANONYMOUS: KeychainAttempt = {
  id: "anonymous",
  label: { kind: "anonymous", anonymous: "no-credential-given" },
  credential: undefined,
};

/** The Pod's pull secrets as keychain sources; an unreadable one fails kubelet's pull, which the Evidence says. */
function podSecrets(probe: PodToProbe): PodSecrets {
  const namespace = podEvidenceFromObject(probe.pod).namespace;
  const sources: PullSecretSource[] = [];
  const names = new Map<string, string>();
  for (const secret of probe.secrets) {
    const name = secret.metadata.name ?? "";
    const label = `secret ${namespace}/${name}`;
    try {
      const parsed = dockerConfigFromSecret(
        { kind: "Secret", metadata: secret.metadata, type: secret.type ?? "Opaque", data: secret.data ?? {} },
        label,
      );
      sources.push({ label, config: parsed.config });
      names.set(label, name);
    } catch {
      // unreadable: kubelet fails the pull; the diagnosis says so from the Evidence
    }
  }
  return { sources, names };
}

function probeCredential(label: CredentialLabel, secrets: PodSecrets): ProbeCredential {
  return label.kind === "secret"
    ? { kind: "secret", secret: secrets.names.get(label.source ?? "") ?? "", key: label.key ?? "" }
    : { kind: "anonymous" };
}

/** Probes for each Pod (same order as `pods`). */
export async function probePods(
  pods: readonly PodToProbe[],
  settings: ProbeSettings,
): Promise<ProbeEvidence[][]> {
  const secrets = pods.map(podSecrets);
  const images: PodImage[] = [];
  pods.forEach((probe, pod) => {
    for (const text of failingImages(probe.pod)) {
      let reference: ImageReference;
      try {
        reference = parseNormalizedReference(text);
      } catch {
        continue; // InvalidImageName: nothing to ask the registry
      }
      images.push({ reference, text, pod });
    }
  });
  // Anonymous first, then what kubelet sends: an entry without usable credentials is the anonymous probe again.
  const attemptsOf = (image: PodImage): KeychainAttempt[] => [
    ANONYMOUS,
    ...pullSecretAttempts(secrets[image.pod]?.sources ?? [], image.text).filter(
      (attempt) => attempt.credential !== undefined,
    ),
  ];
  const keychain: Keychain<PodImage> = {
    attemptsFor: (image) => Promise.resolve(attemptsOf(image)),
    warnings: [],
  };
  const [reports, githubTokens] = await Promise.all([
    checkImages(images, keychain, {
      ...settings.transport,
      ...(settings.client ? { transport: settings.client } : {}),
      plainHttp: settings.plainHttp,
      concurrency: settings.concurrency,
      attempts: "every",
      now: settings.now,
    }),
    settings.github
      ? githubTokensOf(images, attemptsOf, settings.github)
      : new Map<string, GitHubTokenReport>(),
  ]);
  const evidence = pods.map((): ProbeEvidence[] => []);
  for (const report of reports) {
    const pod = report.image.pod;
    for (const attempt of report.attempts) {
      if (!attempt.result) continue;
      const made = attemptsOf(report.image)[attempt.attempt - 1];
      const github = made ? githubTokens.get(made.id) : undefined;
      evidence[pod]?.push({
        image: report.image.text,
        credential: probeCredential(attempt.credential, secrets[pod] as PodSecrets),
        result: attempt.result,
        ...(github?.scopes ? { githubTokenScopes: github.scopes } : {}),
        ...(github ? { githubTokenFindings: github.findings } : {}),
      });
    }
  }
  return evidence;
}

/** What the GitHub API says of each token the Pods' secrets send to ghcr.io, by keychain attempt id. */
function githubTokensOf(
  images: readonly PodImage[],
  attemptsOf: (image: PodImage) => KeychainAttempt[],
  options: GitHubProbeOptions,
): Promise<Map<string, GitHubTokenReport>> {
  const credentials = new Map<string, { id: string; registry: string; username: string; password: string }>();
  for (const image of images) {
    for (const attempt of attemptsOf(image)) {
      const credential = attempt.credential;
      if (!credential || !("password" in credential) || credentials.has(attempt.id)) continue;
      credentials.set(attempt.id, {
        id: attempt.id,
        registry: image.reference.domain,
        username: credential.username,
        password: credential.password,
      });
    }
  }
  return probeGhcrCredentials([...credentials.values()], options);
}
