/**
 * A Secret read from the cluster → what status may know of it (pure): its name, which pullwarden writer wrote it,
 * and its registry keys, normalised as kubelet indexes them. The value is parsed here and dropped here: nothing
 * of a credential leaves this function, and a Secret that cannot be read says so without quoting the parser
 * (whose messages may point into the value).
 */
import {
  SECRET_TYPE_DOCKERCFG,
  SECRET_TYPE_DOCKERCONFIGJSON,
  dockerConfigFromSecret,
  redactDerivedKey,
} from "../dockerconfig/index.js";
import { pullwardenWriter } from "../apply/reconcile.js";
import type { SecretObject } from "../kube-model/index.js";
import { registryKey } from "./status-view.js";
import type { SecretFacts } from "./status-view.js";

/** undefined for Secrets that are not docker configs (kubelet ignores them for pulls). */
export function secretFacts(secret: SecretObject): SecretFacts | undefined {
  if (secret.type !== SECRET_TYPE_DOCKERCONFIGJSON && secret.type !== SECRET_TYPE_DOCKERCFG) return undefined;
  const base = {
    namespace: secret.metadata.namespace ?? "",
    name: secret.metadata.name ?? "",
  };
  const writer = pullwardenWriter(secret);
  if (writer) Object.assign(base, { writer });
  let keys: string[];
  try {
    keys = dockerConfigFromSecret(secret, `secret ${base.namespace}/${base.name}`).config.entries.map(
      (entry) => entry.key,
    );
  } catch {
    return { ...base, registries: [], unreadable: `its ${secret.type} value cannot be read` };
  }
  // A key may carry a password in its user info (https://user:pass@host): kubelet's normalised key drops it,
  // and what a key's user info reaches beyond its authority is never shown.
  const registries = keys.map((key) => redactDerivedKey(key, registryKey(key)));
  return { ...base, registries: [...new Set(registries)].sort() };
}
