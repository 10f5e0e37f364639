/**
 * A Secret read from the cluster → what status may know of it (pure): its name, whether pullwarden manages it,
 * and its registry keys, normalised as kubelet indexes them. The value is parsed here and dropped here: nothing
 * of a credential leaves this function, and a Secret that cannot be read says so without quoting the parser
 * (whose messages may point into the value).
 */
import {
  SECRET_TYPE_DOCKERCFG,
  SECRET_TYPE_DOCKERCONFIGJSON,
  dockerConfigFromSecret,
} from "../dockerconfig/index.js";
import { MANAGED_BY_LABEL_KEY, MANAGED_BY_LABEL_VALUE } from "../desired/index.js";
import type { SecretObject } from "../kube-model/index.js";
import { registryKey } from "./status-view.js";
import type { SecretFacts } from "./status-view.js";

/** undefined for Secrets that are not docker configs (kubelet ignores them for pulls). */
export function secretFacts(secret: SecretObject): SecretFacts | undefined {
  if (secret.type !== SECRET_TYPE_DOCKERCONFIGJSON && secret.type !== SECRET_TYPE_DOCKERCFG) return undefined;
  const base = {
    namespace: secret.metadata.namespace ?? "",
    name: secret.metadata.name ?? "",
    managed: secret.metadata.labels?.[MANAGED_BY_LABEL_KEY] === MANAGED_BY_LABEL_VALUE,
  };
  let keys: string[];
  try {
    keys = dockerConfigFromSecret(secret, `secret ${base.namespace}/${base.name}`).config.entries.map(
      (entry) => entry.key,
    );
  } catch {
    return { ...base, registries: [], unreadable: `its ${secret.type} value cannot be read` };
  }
  return { ...base, registries: [...new Set(keys.map(registryKey))].sort() };
}
