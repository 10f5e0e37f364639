/**
 * One refresh attempt of a credential: obtain a candidate from its source (one call: a cloud mint, or a read of
 * the static Secret), then verify it before anything is written. The source goes through the one resolver of
 * credential sources (src/cloud `resolveCredentials`) behind the `resolve` port, so the SDK sources plug in
 * unchanged and tests control minting. Returns an outcome value; never throws for an expected failure.
 */
import type { AnyCredentialSource, ResolvedCredential } from "../cloud/source.js";
import type { ClusterPullCredentialSpec, CredentialSourceSpec } from "../desired/index.js";
import { buildDockerConfigFromAuths } from "../dockerconfig/index.js";
import type { DockerAuthInput } from "../dockerconfig/index.js";
import type { Candidate, RefreshOutcome } from "./credential-state.js";
import { fingerprintOf } from "./credential-state.js";
import type { VerifyResult } from "./verify.js";

export interface RefreshPorts {
  /** `resolveCredentials` with the controller's source ports (or a test's). */
  readonly resolve: (source: AnyCredentialSource) => Promise<ResolvedCredential[]>;
  readonly verify: (candidate: Candidate, spec: ClusterPullCredentialSpec["verify"]) => Promise<VerifyResult>;
  readonly now: () => Date;
}

/** Where the controller reads a static source Secret from (its source ports serve this path from the cache). */
export function staticSecretPath(namespace: string, name: string): string {
  return `secret/${namespace}/${name}`;
}

/** The credential source of the layout's model a credential's spec names. */
export function credentialSourceOf(
  source: CredentialSourceSpec,
  controllerNamespace: string,
): AnyCredentialSource | undefined {
  if (source.static)
    return { kind: "file", path: staticSecretPath(controllerNamespace, source.static.secretRef.name) };
  // rotateEverySeconds is the layout's fixed interval; the controller schedules from the real expiry instead.
  if (source.ecr)
    return {
      kind: "cloud-token",
      provider: "ecr",
      server: source.ecr.registry,
      ...(source.ecr.region ? { region: source.ecr.region } : {}),
      rotateEverySeconds: 0,
    };
  if (source.acr)
    return {
      kind: "cloud-token",
      provider: "acr",
      server: source.acr.registry,
      registryName: source.acr.registry.split(".")[0] ?? source.acr.registry,
      rotateEverySeconds: 0,
    };
  return undefined;
}

function entryOf(credential: ResolvedCredential): DockerAuthInput {
  return {
    key: credential.server,
    username: credential.username,
    password: credential.password,
    ...(credential.email ? { email: credential.email } : {}),
  };
}

/** A candidate from what a source yielded: one entry per registry (the first wins), the earliest expiry. */
export function candidateOf(resolved: readonly ResolvedCredential[], now: Date): Candidate {
  const entries: DockerAuthInput[] = [];
  for (const credential of resolved)
    if (!entries.some((e) => e.key === credential.server)) entries.push(entryOf(credential));
  // Refuses entries real consumers would reject or misread (InputError, one line, no value).
  buildDockerConfigFromAuths(entries, { source: "the credential's source" });
  const expiries = resolved.flatMap((c) => (c.expiresAt ? [c.expiresAt.getTime()] : []));
  return {
    entries,
    registries: entries.map((e) => e.key),
    fingerprint: fingerprintOf(entries),
    obtainedAt: now,
    ...(expiries.length > 0 ? { expiresAt: new Date(Math.min(...expiries)) } : {}),
  };
}

export async function attemptRefresh(
  spec: ClusterPullCredentialSpec,
  controllerNamespace: string,
  ports: RefreshPorts,
): Promise<RefreshOutcome> {
  const source = credentialSourceOf(spec.source, controllerNamespace);
  if (!source) return { kind: "mint-failed", message: "spec.source names no static, ecr or acr source" };
  let candidate: Candidate;
  try {
    const resolved = await ports.resolve(source);
    if (resolved.length === 0)
      return { kind: "mint-failed", message: "the source holds no registry credentials" };
    candidate = candidateOf(resolved, ports.now());
  } catch (error) {
    return { kind: "mint-failed", message: oneLine(error) };
  }
  if (candidate.expiresAt && candidate.expiresAt.getTime() <= ports.now().getTime()) {
    return {
      kind: "verify-failed",
      candidate,
      message: `the source's credential expired at ${candidate.expiresAt.toISOString()}`,
    };
  }
  let verdict: VerifyResult;
  try {
    verdict = await ports.verify(candidate, spec.verify);
  } catch (error) {
    verdict = { ok: false, message: `verification failed: ${oneLine(error)}` };
  }
  return verdict.ok
    ? { kind: "accepted", candidate }
    : { kind: "verify-failed", candidate, message: verdict.message };
}

/** pullwarden's errors are one line without secrets already; anything else is cut to its first line. */
function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]?.slice(0, 500) ?? "";
}
