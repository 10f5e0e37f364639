/**
 * Causes found in the Pod's pull secrets (needs the Secrets, so `doctor` only): a referenced Secret that is
 * missing (misspelled, or in another namespace), of the wrong type or key, unreadable; no entry matching the
 * image's registry; and the credentials kubelet would try being expired, not yet valid or of a kind the
 * registry rejects.
 */
import { explainUrlsMatch } from "../dockerconfig/index.js";
import type { UrlsMatchReason } from "../dockerconfig/index.js";
import type { InspectedEntry } from "../inspect/index.js";
import type { CauseId } from "./causes.js";
import { GENERIC_AUTH_CAUSES } from "./causes.js";
import type { AuthState, DiagnosisContext, ImageContext, KeyringMatchInfo } from "./context.js";
import { authState } from "./context.js";
import type { SecretEvidence } from "./evidence.js";
import {
  createSecretCommand,
  isObjectName,
  nsFlag,
  q,
  recreatePodCommands,
  setPullSecretsCommand,
} from "./fix-commands.js";
import { addPullSecretCommands, genericFix } from "./generic-fixes.js";
import type { Candidate } from "./model.js";
import { candidate } from "./model.js";
import { similarNames } from "./similar-names.js";

const DOCKER_TYPES: Record<string, string> = {
  ".dockerconfigjson": "kubernetes.io/dockerconfigjson",
  ".dockercfg": "kubernetes.io/dockercfg",
};

const AUTH_EXPLAINED: readonly CauseId[] = [...GENERIC_AUTH_CAUSES, "pull-secret-missing"];

/** How much an auth/secret problem matters, given how the image fails. */
export function authWeight(state: AuthState): number {
  return state === "auth" ? 1 : state === "unknown" ? 0.8 : state === "blurred" ? 0.5 : 0.35;
}

/** The weight of a Pod-wide secret problem: the most auth-like failing image decides. */
function podWeight(ctx: DiagnosisContext): number {
  const failing = ctx.images.filter((i) => i.failing);
  if (failing.length === 0) return 0.3;
  return Math.max(...failing.map((i) => authWeight(authState(i))));
}

function failingImages(ctx: DiagnosisContext): ImageContext[] {
  return ctx.images.filter((i) => i.failing);
}

function ref(secret: { namespace: string; name: string }): string {
  return `${secret.namespace || "?"}/${secret.name}`;
}

function replaceName(list: readonly string[], from: string, to: string): string[] {
  return [...new Set(list.map((n) => (n === from ? to : n)).filter((n) => n !== ""))];
}

/** Re-creates a Secret's docker config under the right type and key, as a new Secret (types are immutable). */
function rebuildCommands(
  ctx: DiagnosisContext,
  secret: SecretEvidence,
  sourceKey: string,
  targetName: string,
): string[] {
  const ns = nsFlag(secret.namespace || undefined);
  const template = q(`{{index .data "${sourceKey.replace(/["\\{}]/g, "")}" | base64decode}}`);
  const commands = [
    `kubectl ${ns} create secret generic ${q(targetName)} --type=kubernetes.io/dockerconfigjson --from-file=.dockerconfigjson=<(kubectl ${ns} get secret ${q(secret.name)} -o go-template=${template})`,
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

function missingSecretCandidates(ctx: DiagnosisContext, secret: SecretEvidence, weight: number): Candidate[] {
  const ev = ctx.evidence;
  const namespace = secret.namespace || ev.pod.namespace;
  const images = failingImages(ctx);
  const first = images[0];
  const base = [
    `the Pod's imagePullSecrets name ${secret.name}, and namespace ${namespace} has no Secret of that name`,
    "kubelet skips a missing Secret and pulls with the remaining credentials, or anonymously",
  ];
  const existing = ev.namespaceSecrets?.map((s) => s.name) ?? [];
  const similar = similarNames(secret.name, existing);
  const closest = similar[0];
  if (closest !== undefined) {
    const listing = ev.namespaceSecrets?.find((s) => s.name === closest);
    const patch = setPullSecretsCommand(
      ev.pod,
      ev.source,
      replaceName(ev.pod.imagePullSecrets ?? [], secret.name, closest),
    );
    return [
      candidate("pull-secret-name-typo", 0.94 * weight, {
        secrets: [secret.name, closest],
        title: `The pull secret name "${secret.name}" is misspelled: namespace ${namespace} has "${closest}"`,
        evidence: [
          ...base,
          `namespace ${namespace} has a Secret named ${closest}${listing ? ` (type ${listing.type})` : ""}, a close spelling`,
        ],
        fix: {
          explanation: `Reference ${closest} instead of ${secret.name} in the workload's imagePullSecrets (a Pod's spec cannot be edited; its controller's can).`,
          commands: patch ? [patch] : recreatePodCommands(ev.pod, ev.source),
        },
        explains: AUTH_EXPLAINED,
      }),
    ];
  }
  const elsewhere = ev.elsewhere?.find((e) => e.name === secret.name && e.namespaces.length > 0);
  const other = elsewhere?.namespaces[0];
  if (elsewhere && other) {
    const key = other.type === "kubernetes.io/dockercfg" ? ".dockercfg" : ".dockerconfigjson";
    const template = q(`{{index .data "${key}" | base64decode}}`);
    return [
      candidate("pull-secret-in-other-namespace", 0.93 * weight, {
        secrets: [secret.name],
        title: `The pull secret ${secret.name} exists in namespace ${other.namespace}, not in ${namespace}`,
        evidence: [
          ...base,
          `a Secret named ${secret.name} exists in namespace${elsewhere.namespaces.length > 1 ? "s" : ""} ${elsewhere.namespaces
            .map((n) => n.namespace)
            .join(", ")}; Pods can only use pull secrets of their own namespace`,
        ],
        fix: {
          explanation: `Create the Secret in namespace ${namespace} too (copy it, or better, create it from its source and keep both in sync).`,
          commands: [
            `kubectl ${nsFlag(namespace)} create secret generic ${q(secret.name)} --type=${q(other.type)} --from-file=${key}=<(kubectl -n ${q(other.namespace)} get secret ${q(secret.name)} -o go-template=${template})`,
          ],
        },
        explains: AUTH_EXPLAINED,
      }),
    ];
  }
  return [
    candidate("pull-secret-missing", 0.9 * weight, {
      secrets: [secret.name],
      title: `The pull secret ${secret.name} does not exist in namespace ${namespace}`,
      evidence: [
        ...base,
        ...(ev.namespaceSecrets !== undefined ? ["no Secret in the namespace has a similar name"] : []),
        ...(ev.elsewhere !== undefined ? ["no other namespace has a Secret of that name either"] : []),
      ],
      fix: {
        explanation: `Create ${secret.name} in namespace ${namespace} with a credential for ${first?.host ?? "the image's registry"}.`,
        commands: [
          createSecretCommand(
            isObjectName(secret.name) ? secret.name : "<secret>",
            namespace,
            first?.host,
            first?.registry,
          ),
        ],
      },
      explains: AUTH_EXPLAINED,
    }),
  ];
}

function foundSecretCandidates(ctx: DiagnosisContext, secret: SecretEvidence, weight: number): Candidate[] {
  const keys = secret.dataKeys ?? [];
  const docker = secret.docker;
  const fixedName = `${secret.name}-dockerconfigjson`.slice(0, 253);
  if (!docker) {
    const guess = keys.find((k) => /docker|config\.json|auth/i.test(k)) ?? keys[0];
    return [
      candidate("pull-secret-wrong-key", 0.9 * weight, {
        secrets: [secret.name],
        title: `The pull secret ${secret.name} has no .dockerconfigjson key`,
        evidence: [
          `Secret ${ref(secret)} has type ${secret.type ?? "Opaque"} and keys ${keys.length > 0 ? keys.join(", ") : "(none)"}`,
          "kubelet reads only .dockerconfigjson (type kubernetes.io/dockerconfigjson) or .dockercfg (type kubernetes.io/dockercfg) and skips any other Secret",
        ],
        fix: {
          explanation: guess
            ? `If ${guess} holds a docker config, store it as .dockerconfigjson in a Secret of type kubernetes.io/dockerconfigjson (a Secret's type cannot be changed, so create a new one).`
            : "Create a Secret of type kubernetes.io/dockerconfigjson with the registry credentials.",
          commands: guess
            ? rebuildCommands(ctx, secret, guess, fixedName)
            : [
                createSecretCommand(
                  fixedName,
                  secret.namespace,
                  failingImages(ctx)[0]?.host,
                  failingImages(ctx)[0]?.registry,
                ),
              ],
        },
        explains: AUTH_EXPLAINED,
      }),
    ];
  }
  if (docker.kubelet === "ignores") {
    const expected = DOCKER_TYPES[docker.key] ?? "kubernetes.io/dockerconfigjson";
    return [
      candidate("pull-secret-wrong-type", 0.91 * weight, {
        secrets: [secret.name],
        title: `The pull secret ${secret.name} has type ${secret.type ?? "Opaque"}, so kubelet ignores it`,
        evidence: [
          `Secret ${ref(secret)} holds ${docker.key} but has type ${secret.type ?? "Opaque"}; kubelet uses it only with type ${expected}`,
          ...docker.problems
            .filter((p) => p.code === "secret-type-mismatch" || p.code === "secret-key-type-mismatch")
            .map((p) => `${p.code}: ${p.message}`),
        ],
        fix: {
          explanation: `A Secret's type cannot be changed: create a new Secret of type kubernetes.io/dockerconfigjson with the same content and reference it.`,
          commands: rebuildCommands(ctx, secret, docker.key, fixedName),
        },
        explains: AUTH_EXPLAINED,
      }),
    ];
  }
  if (docker.kubelet === "fails") {
    const what = docker.unreadable
      ? `${docker.key} cannot be read: ${docker.unreadable.message} (${docker.unreadable.code})`
      : `${docker.key} has problems kubelet cannot get past: ${docker.problems
          .filter((p) => p.severity === "error")
          .map((p) => p.code)
          .join(", ")}`;
    return [
      candidate("pull-secret-malformed", Math.max(0.6, 0.95 * weight), {
        secrets: [secret.name],
        title: `The pull secret ${secret.name} is malformed, which fails every pull of the Pod`,
        evidence: [
          `Secret ${ref(secret)}: ${what}`,
          "kubelet builds one keyring from all of the Pod's pull secrets; a Secret it cannot decode makes that fail, and with it every image pull of the Pod",
        ],
        fix: {
          explanation:
            "Recreate the Secret with a well-formed docker config (pullwarden secret create writes exactly what kubectl does, with padded base64 auth).",
          commands: [
            createSecretCommand(
              secret.name,
              secret.namespace,
              failingImages(ctx)[0]?.host,
              failingImages(ctx)[0]?.registry,
            ),
            `pullwarden secret inspect <(kubectl ${nsFlag(secret.namespace)} get secret ${q(secret.name)} -o yaml)`,
          ],
        },
        explains: [...AUTH_EXPLAINED, "image-pull-failed"],
      }),
    ];
  }
  return [];
}

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
    return `Secret ${ref(secret)} key ${entry.key}: kubelet cannot parse this key and ignores the entry`;
  if (normalized.toLowerCase() === "registry-1.docker.io") {
    return `Secret ${ref(secret)} key ${entry.key}: kubelet never matches registry-1.docker.io (Docker Hub images are looked up as docker.io/...); key it docker.io or https://index.docker.io/v1/`;
  }
  if (normalized === "index.docker.io" && image.registry?.kind !== "dockerhub") {
    return `Secret ${ref(secret)} key ${entry.key}: serves Docker Hub images only (kubelet's Docker Hub fallback), but ${image.image} is on ${image.host ?? "another registry"}`;
  }
  const reason = explainUrlsMatch(normalized, target).reason;
  return `Secret ${ref(secret)} key ${entry.key} (kubelet key ${normalized}) does not match ${target}: ${MATCH_REASONS[reason]}`;
}

function hostMismatchCandidates(ctx: DiagnosisContext, image: ImageContext): Candidate[] {
  const secrets = ctx.podSecrets ?? [];
  const usable = secrets.filter((s) => s.state === "found" && s.docker?.kubelet === "uses");
  const entries = usable.flatMap((secret) =>
    (secret.docker?.entries ?? []).map((entry) => ({ secret, entry })),
  );
  // A Secret doctor could not read may hold the matching entry: then the mismatch is only likely.
  const unread = secrets.filter((s) => s.state === "forbidden" || s.state === "error");
  const weight = authWeight(authState(image)) * (unread.length > 0 ? 0.5 : 1);
  const unreadLines = unread.map(
    (s) => `Secret ${ref(s)} could not be read (${s.state}); it may hold a matching entry`,
  );
  if (entries.length > 0) {
    const dockerHubNever = entries.some(
      (e) => e.entry.coverage?.normalizedKey.toLowerCase() === "registry-1.docker.io",
    );
    return [
      candidate("pull-secret-host-mismatch", 0.9 * weight, {
        image: image.image,
        containers: image.containers.map((c) => c.name),
        secrets: [...new Set(entries.map((e) => e.secret.name))],
        title: `No pull secret entry matches ${image.host ?? "the image's registry"}, so kubelet pulls ${image.image} anonymously`,
        evidence: [
          `kubelet looks up credentials for ${image.lookupName ?? image.image}`,
          ...entries.slice(0, 6).map((e) => entryMismatchLine(e.secret, e.entry, image)),
          ...unreadLines,
        ],
        fix: {
          explanation: dockerHubNever
            ? "Recreate the Docker Hub credential keyed docker.io (or https://index.docker.io/v1/, kubectl's default); registry-1.docker.io is never matched."
            : `Add a credential keyed exactly ${image.registry?.kind === "dockerhub" ? "docker.io" : (image.host ?? "the image's host")} (kubelet matches the key to the image's host, port included), in a Secret the Pod references.`,
          commands: addPullSecretCommands({ ctx, image }),
        },
        explains: AUTH_EXPLAINED,
      }),
    ];
  }
  // Nothing usable at all; broken or missing Secrets have their own causes, this says what the image lacks.
  if (secrets.some((s) => s.state !== "found" || s.docker?.kubelet !== "uses")) return [];
  const sa = ctx.evidence.serviceAccount;
  const provider = ctx.evidence.node?.provider;
  if (
    (image.registry?.kind === "acr" && provider === "aks") ||
    (image.registry?.kind === "ecr" && (provider === "eks" || provider === "eks-fargate"))
  ) {
    return []; // the node's identity is the pull path; rules-identity.ts judges it
  }
  if (image.registry?.kind === "ecr-public") return [];
  // Docker Hub's official images are public: a credential would only raise the rate limit.
  if (image.registry?.kind === "dockerhub" && image.ref?.path.startsWith("library/")) return [];
  return [
    candidate("no-pull-credential", 0.86 * weight, {
      image: image.image,
      containers: image.containers.map((c) => c.name),
      title: `The Pod has no credential for ${image.host ?? "the image's registry"}`,
      evidence: [
        ctx.evidence.pod.imagePullSecrets && ctx.evidence.pod.imagePullSecrets.length > 0
          ? `none of the Pod's imagePullSecrets holds a usable docker config`
          : `Pod ${ctx.evidence.pod.namespace}/${ctx.evidence.pod.name} has no imagePullSecrets`,
        ...(sa && sa.imagePullSecrets.length === 0
          ? [`ServiceAccount ${sa.name} has no imagePullSecrets either`]
          : []),
        ...(provider
          ? [
              `node provider: ${provider} (no kubelet credential provider is known to serve ${image.host ?? "this registry"})`,
            ]
          : []),
      ],
      fix: {
        explanation: `Create a pull secret for ${image.host ?? "the registry"} and reference it from the workload (or from its ServiceAccount, then recreate the Pods).`,
        commands: addPullSecretCommands({ ctx, image }),
      },
      explains: GENERIC_AUTH_CAUSES,
    }),
  ];
}

function credentialLabel(match: KeyringMatchInfo): string {
  const credential = match.entry.credential;
  return `Secret ${ref(match.secret)} key ${match.entry.key}${credential ? ` (${credential.token.label})` : " (no credential)"}`;
}

function credentialCandidates(
  ctx: DiagnosisContext,
  image: ImageContext,
  matches: readonly KeyringMatchInfo[],
): Candidate[] {
  const out: Candidate[] = [];
  const weight = authWeight(authState(image));
  const bad = matches.filter((m) => {
    const verdict = m.entry.credential?.acceptance.verdict;
    return (
      verdict === "expired" ||
      verdict === "rejected" ||
      verdict === "not-yet-valid" ||
      m.entry.credential === undefined
    );
  });
  if (bad.length === 0) return out;
  // kubelet tries every match; only when all are bad is the pull sure to fail for this reason.
  const allBad = bad.length === matches.length;
  const share = allBad ? 1 : 0.55;
  const containers = image.containers.map((c) => c.name);
  for (const match of bad) {
    const credential = match.entry.credential;
    const lines = [
      `kubelet tries ${credentialLabel(match)} for ${image.lookupName ?? image.image}`,
      ...(allBad
        ? []
        : [
            `other credentials are tried too: ${matches
              .filter((m) => !bad.includes(m))
              .map(credentialLabel)
              .join("; ")}`,
          ]),
    ];
    if (!credential) {
      out.push(
        candidate("no-pull-credential", 0.8 * weight * share, {
          image: image.image,
          containers,
          secrets: [match.secret.name],
          title: `The matching entry of ${match.secret.name} carries no credential`,
          evidence: [
            ...lines,
            "the entry has no auth, username or password: kubelet sends empty credentials",
          ],
          fix: {
            explanation: "Recreate the entry with a username and token.",
            commands: [
              createSecretCommand(match.secret.name, match.secret.namespace, image.host, image.registry),
            ],
          },
          explains: GENERIC_AUTH_CAUSES,
        }),
      );
      continue;
    }
    const { verdict, reason } = credential.acceptance;
    const fixText = credential.acceptance.fix ?? "";
    const renew = createSecretCommand(match.secret.name, match.secret.namespace, image.host, image.registry);
    if (verdict === "expired") {
      const ecr = credential.token.kind === "ecr-token";
      out.push(
        candidate(
          ecr ? "ecr-token-expired" : "credential-expired",
          (ecr ? 0.96 : 0.93) * Math.max(weight, 0.8) * share,
          {
            image: image.image,
            containers,
            secrets: [match.secret.name],
            ...(ecr ? { title: `The ECR token in ${match.secret.name} expired` } : {}),
            evidence: [...lines, reason],
            fix: ecr
              ? genericFix("ecr-token-expired", { ctx, image })
              : {
                  explanation: `Renew the credential and update the Secret. ${fixText}`.trim(),
                  commands: [renew],
                },
            explains: [...GENERIC_AUTH_CAUSES, "ecr-token-expired", "credential-expired"],
          },
        ),
      );
    } else if (verdict === "rejected") {
      out.push(
        candidate("credential-kind-rejected", 0.92 * Math.max(weight, 0.7) * share, {
          image: image.image,
          containers,
          secrets: [match.secret.name],
          title: `${image.host ?? "The registry"} does not accept the ${credential.token.label} in ${match.secret.name}`,
          evidence: [...lines, reason],
          fix: { explanation: fixText || "Use a credential kind the registry accepts.", commands: [renew] },
          explains: [...GENERIC_AUTH_CAUSES, "ghcr-read-packages-missing"],
        }),
      );
    } else {
      out.push(
        candidate("clock-skew", 0.78 * Math.max(weight, 0.7) * share, {
          image: image.image,
          containers,
          secrets: [match.secret.name],
          title: `The credential in ${match.secret.name} is not valid yet`,
          evidence: [...lines, reason],
          fix: {
            explanation:
              `${fixText} A token that is "not valid yet" was minted by a machine whose clock runs ahead, or is checked by one whose clock runs behind.`.trim(),
            commands: genericFix("clock-skew", { ctx, image }).commands,
          },
          explains: GENERIC_AUTH_CAUSES,
        }),
      );
    }
  }
  return out;
}

export function secretCandidates(ctx: DiagnosisContext): Candidate[] {
  const ev = ctx.evidence;
  if (ev.secrets === undefined || ev.pod.imagePullSecrets === undefined) return [];
  const out: Candidate[] = [];
  const weight = podWeight(ctx);
  const seen = new Set<string>();
  for (const name of ev.pod.imagePullSecrets) {
    if (name === "" || seen.has(name)) continue;
    seen.add(name);
    const secret = ev.secrets.find((s) => s.name === name && s.referencedBy.includes("pod"));
    if (!secret) continue;
    if (secret.state === "missing") out.push(...missingSecretCandidates(ctx, secret, weight));
    else if (secret.state === "found") out.push(...foundSecretCandidates(ctx, secret, weight));
  }
  for (const image of failingImages(ctx)) {
    if (image.matches === undefined || image.refError !== undefined) continue;
    if (image.matches.length === 0) out.push(...hostMismatchCandidates(ctx, image));
    else out.push(...credentialCandidates(ctx, image, image.matches));
  }
  return out;
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
