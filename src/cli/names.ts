/**
 * Kubernetes object name rules (apimachinery pkg/util/validation): a Secret name is a DNS-1123 subdomain
 * (≤ 253), a namespace a DNS-1123 label (≤ 63). kubectl's client-side dry run does not check them; the API
 * server does, so pullwarden refuses them up front.
 */
import { UsageError } from "../errors.js";

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function assertSecretName(name: string, what = "secret name"): void {
  if (name.length === 0 || name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    throw new UsageError(
      `invalid ${what} ${JSON.stringify(name)}: must be a lowercase RFC 1123 subdomain (a-z, 0-9, '-', '.'; at most 253 characters)`,
    );
  }
}

export function assertNamespace(namespace: string): void {
  if (namespace.length === 0 || namespace.length > 63 || !DNS1123_LABEL.test(namespace)) {
    throw new UsageError(
      `invalid namespace ${JSON.stringify(namespace)}: must be a lowercase RFC 1123 label (a-z, 0-9, '-'; at most 63 characters)`,
    );
  }
}
