/**
 * What a rule sees: the graph, the options, shared analyses computed once (decoded pull secrets, effective
 * imagePullSecrets per pod spec, resolved images), and `report` to emit a finding.
 */
import { CONTAINER_GROUPS, containerGroupOfField } from "../kube-model/index.js";
import { createHash } from "node:crypto";
import type { AuditGraph, ContainerRef, GraphObject, PodSource } from "./graph.js";
import { refKey } from "./objects.js";
import { PullSecretCatalog, effectiveSecrets, newLookupCache, resolveImage } from "./pull-path.js";
import type { EffectiveSecrets, LookupCache, ResolvedImage } from "./pull-path.js";
import type {
  AuditOptions,
  FieldPath,
  Finding,
  Location,
  NodeIdentity,
  PullPath,
  RuleMeta,
  Severity,
} from "./types.js";

export interface ResolvedOptions {
  readonly mode: "files" | "cluster";
  readonly now: Date;
  readonly defaultNamespace: string;
  readonly nodeIdentities: readonly NodeIdentity[];
  readonly privateRegistries: readonly string[];
  readonly copiedCredentialThreshold: number;
  readonly repeatedPullSecretsThreshold: number;
  readonly incompleteKinds: ReadonlySet<string>;
}

export function resolveOptions(options: AuditOptions): ResolvedOptions {
  return {
    mode: options.mode,
    now: options.now,
    defaultNamespace: options.defaultNamespace ?? "default",
    nodeIdentities: options.nodeIdentities ?? [],
    privateRegistries: options.privateRegistries ?? [],
    copiedCredentialThreshold: Math.max(2, options.copiedCredentialThreshold ?? 3),
    repeatedPullSecretsThreshold: Math.max(2, options.repeatedPullSecretsThreshold ?? 2),
    incompleteKinds: new Set(options.incompleteKinds ?? []),
  };
}

/** A container the audit judges, with the pod spec it belongs to. */
export interface JudgedContainer {
  readonly pod: PodSource;
  readonly container: ContainerRef;
}

export interface RelatedDraft {
  readonly object: GraphObject;
  readonly field?: FieldPath;
}

export interface FindingDraft {
  /** Default: the rule's severity. */
  readonly severity?: Severity;
  readonly message: string;
  /** Default: the rule's fix. */
  readonly fix?: string;
  readonly object: GraphObject;
  readonly field?: FieldPath;
  /** What the finding is about inside the object (a container, a key, a binding subject): part of the fingerprint. */
  readonly subject: string;
  readonly image?: string;
  readonly pullPath?: PullPath;
  readonly related?: readonly RelatedDraft[];
  readonly properties?: Finding["properties"];
}

export function locationOf(object: GraphObject, field?: FieldPath): Location {
  return {
    object: object.ref,
    ...(object.origin ? { origin: object.origin } : {}),
    ...(field ? { field } : {}),
  };
}

/** sha256 of rule, object and subject: stable across runs, files and live mode; never covers secret values. */
export function fingerprintOf(
  ruleId: string,
  object: { kind: string; namespace?: string; name: string },
  subject: string,
): string {
  return createHash("sha256")
    .update(`${ruleId}\u0000${refKey(object)}\u0000${subject}`)
    .digest("hex")
    .slice(0, 32);
}

export class RuleContext {
  readonly catalog: PullSecretCatalog;
  readonly findings: Finding[] = [];
  private readonly effectiveCache = new Map<PodSource, EffectiveSecrets>();
  /** Pods with the same namespace, ServiceAccount, own list and admission state share one EffectiveSecrets. */
  private readonly effectiveByKey = new Map<string, EffectiveSecrets>();
  private readonly lookupCache: LookupCache = newLookupCache();
  private judged: JudgedContainer[] | undefined;
  private resolved: ResolvedImage[] | undefined;

  constructor(
    readonly graph: AuditGraph,
    readonly options: ResolvedOptions,
  ) {
    this.catalog = new PullSecretCatalog(graph, options.now);
  }

  effective(pod: PodSource): EffectiveSecrets {
    let cached = this.effectiveCache.get(pod);
    if (!cached) {
      const key = JSON.stringify([
        pod.namespace,
        pod.serviceAccount,
        pod.admitted,
        pod.pullSecrets.map((ref) => ref.name),
      ]);
      cached = this.effectiveByKey.get(key);
      if (!cached) {
        cached = effectiveSecrets(pod, this.graph, this.catalog);
        this.effectiveByKey.set(key, cached);
      }
      this.effectiveCache.set(pod, cached);
    }
    return cached;
  }

  /**
   * Every container of every pod spec that is not owned by another audited controller: what the audit judges,
   * whatever its image field holds (absent, empty, not a string, or a reference kubelet refuses).
   */
  containers(): readonly JudgedContainer[] {
    if (this.judged) return this.judged;
    const judged: JudgedContainer[] = [];
    for (const pod of this.graph.podSources) {
      if (pod.controlled) continue;
      for (const container of pod.containers) judged.push({ pod, container });
    }
    this.judged = judged;
    return judged;
  }

  /**
   * The image of every judged container that has one, resolved once. An empty or non-string image is not
   * resolved (PW108 reports it); a reference kubelet refuses is, with `invalid` set and no pull path.
   */
  images(): readonly ResolvedImage[] {
    if (this.resolved) return this.resolved;
    const resolved: ResolvedImage[] = [];
    for (const { pod, container } of this.containers()) {
      if (container.image === undefined || container.image === "") continue;
      resolved.push(
        resolveImage(
          pod,
          container,
          container.image,
          this.effective(pod),
          this.options.nodeIdentities,
          this.lookupCache,
        ),
      );
    }
    this.resolved = resolved;
    return resolved;
  }

  private replicasByOwner: Map<GraphObject, NonNullable<PodSource["replicaOf"]>> | undefined;

  /** For a live Pod standing for its controller's replicas: the controller. */
  replicaOf(object: GraphObject): PodSource["replicaOf"] {
    if (!this.replicasByOwner) {
      this.replicasByOwner = new Map();
      for (const pod of this.graph.podSources)
        if (pod.replicaOf) this.replicasByOwner.set(pod.owner, pod.replicaOf);
    }
    return this.replicasByOwner.get(object);
  }

  report(meta: RuleMeta, draft: FindingDraft): void {
    const replica = this.replicaOf(draft.object);
    // Replicas come and go with new names; their controller keeps the finding's identity.
    const identity = replica
      ? { kind: replica.kind, namespace: draft.object.ref.namespace ?? "", name: replica.name }
      : draft.object.ref;
    const more =
      replica && replica.count > 1
        ? ` (also in ${replica.count - 1} more Pod${replica.count > 2 ? "s" : ""} of ${replica.kind} ${replica.name})`
        : "";
    this.findings.push({
      ruleId: meta.id,
      rule: meta.name,
      severity: draft.severity ?? meta.severity,
      message: draft.message + more,
      fix: draft.fix ?? meta.fix,
      location: locationOf(draft.object, draft.field),
      ...(draft.related && draft.related.length > 0
        ? { related: draft.related.map((related) => locationOf(related.object, related.field)) }
        : {}),
      ...(draft.image !== undefined ? { image: draft.image } : {}),
      ...(draft.pullPath ? { pullPath: draft.pullPath } : {}),
      fingerprint: fingerprintOf(meta.id, identity, draft.subject),
      ...(draft.properties ? { properties: draft.properties } : {}),
    });
  }
}

export interface Rule {
  readonly meta: RuleMeta;
  check(context: RuleContext): void;
}

/** The container's image field, for locations. */
export function imageField(pod: PodSource, group: string, index: number): FieldPath {
  return [...pod.specPath, group, index, "image"];
}

/** `Deployment apps/api, container api`. */
export function describeContainer(pod: PodSource, container: { name: string; group: string }): string {
  return `${CONTAINER_GROUPS[containerGroupOfField(container.group) ?? "regular"].noun} ${container.name}`;
}
