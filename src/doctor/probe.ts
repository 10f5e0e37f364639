/**
 * `doctor --probe`: for each image a Pod fails to pull, the registry access check (src/registry) with every
 * credential kubelet would try for it (the Pod's own pull secrets, looked up with kubelet's keyring, in its
 * order) and anonymously. Identical probes (same image, same Secret entry) across Pods run once. Credentials
 * are decoded here and handed to the access check only; the Evidence keeps the Secret's name and key.
 */
import { dockerConfigFromSecret, lookupCredentials, redactKey } from "../dockerconfig/index.js";
import type { ProbeEvidence } from "../doctor/index.js";
import type { SecretObject } from "../kube/index.js";
import { parseNormalizedReference } from "../reference/index.js";
import { checkAccess, createTokenCache, createTransport, mapWithConcurrency } from "../registry/index.js";
import type { AccessResult, RegistryCredential, TransportOptions } from "../registry/index.js";
import type { GatheredPod } from "./doctor-gather.js";

export interface ProbeSettings {
  readonly transport: TransportOptions;
  readonly plainHttp: boolean;
  readonly concurrency: number;
  readonly now: () => Date;
}

const PULL_WAITING = /^(ErrImagePull|ImagePullBackOff|RegistryUnavailable|PullImageError)$/;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The images of the Pod's containers that wait on a pull (the spec's image strings). */
export function failingImages(pod: unknown): string[] {
  const p = obj(pod);
  const spec = obj(p["spec"]);
  const status = obj(p["status"]);
  const images = new Set<string>();
  const groups: [string, string][] = [
    ["initContainers", "initContainerStatuses"],
    ["containers", "containerStatuses"],
    ["ephemeralContainers", "ephemeralContainerStatuses"],
  ];
  for (const [specKey, statusKey] of groups) {
    const waiting = new Set(
      arr(status[statusKey])
        .map(obj)
        .filter((s) => PULL_WAITING.test(String(obj(obj(s["state"])["waiting"])["reason"] ?? "")))
        .map((s) => String(s["name"])),
    );
    for (const c of arr(spec[specKey]).map(obj)) {
      if (waiting.has(String(c["name"])) && typeof c["image"] === "string") images.add(c["image"]);
    }
  }
  return [...images];
}

interface Planned {
  readonly id: string;
  readonly image: string;
  readonly credential: ProbeEvidence["credential"];
  readonly secret?: RegistryCredential;
}

function plan(pod: GatheredPod): Planned[] {
  const namespace = String(obj(obj(pod.objects.pod)["metadata"])["namespace"] ?? "");
  const entries = pod.podSecrets.flatMap((secret: SecretObject) => {
    try {
      const parsed = dockerConfigFromSecret(
        { kind: "Secret", metadata: secret.metadata, type: secret.type ?? "Opaque", data: secret.data ?? {} },
        `secret ${namespace}/${secret.metadata.name ?? ""}`,
      );
      return parsed.config.entries.map((entry) => ({
        key: entry.key,
        secret: secret.metadata.name ?? "",
        entry,
      }));
    } catch {
      return []; // unreadable: kubelet fails the pull; the diagnosis says so from the Evidence
    }
  });
  const out: Planned[] = [];
  for (const image of failingImages(pod.objects.pod)) {
    out.push({ id: `${image}\u0000anonymous`, image, credential: { kind: "anonymous" } });
    const lookup = lookupCredentials(entries, image);
    if (!lookup.ok) continue;
    for (const match of lookup.matches) {
      const decoded = match.entry.entry.decoded;
      if (!decoded) continue;
      out.push({
        id: `${image}\u0000${namespace}/${match.entry.secret}\u0000${match.key}`,
        image,
        credential: { kind: "secret", secret: match.entry.secret, key: redactKey(match.key) },
        secret: { username: decoded.username, password: decoded.password },
      });
    }
  }
  return out;
}

/** Probes for each Pod (same order as `pods`). */
export async function probePods(
  pods: readonly GatheredPod[],
  settings: ProbeSettings,
): Promise<ProbeEvidence[][]> {
  const plans = pods.map(plan);
  const unique = new Map<string, Planned>();
  for (const p of plans.flat()) if (!unique.has(p.id)) unique.set(p.id, p);
  const transport = createTransport(settings.transport);
  const tokenCache = createTokenCache();
  const results = new Map<string, AccessResult>();
  try {
    const list = [...unique.values()];
    const answers = await mapWithConcurrency(list, settings.concurrency, async (p) => {
      let target;
      try {
        const ref = parseNormalizedReference(p.image);
        target = {
          domain: ref.domain,
          path: ref.path,
          ...(ref.tag !== undefined ? { tag: ref.tag } : {}),
          ...(ref.digest !== undefined ? { digest: ref.digest } : {}),
        };
      } catch {
        return undefined; // InvalidImageName: nothing to ask the registry
      }
      return checkAccess({
        image: target,
        ...(p.secret ? { credential: p.secret } : {}),
        plainHttp: settings.plainHttp,
        transport,
        tokenCache,
        now: settings.now,
      });
    });
    list.forEach((p, i) => {
      const answer = answers[i];
      if (answer) results.set(p.id, answer);
    });
  } finally {
    transport.close();
  }
  return plans.map((planned) =>
    planned.flatMap((p): ProbeEvidence[] => {
      const result = results.get(p.id);
      return result ? [{ image: p.image, credential: p.credential, result }] : [];
    }),
  );
}
