/**
 * Names given on the command line, checked against the Kubernetes name rules (kube-model): a Secret name is a
 * DNS-1123 subdomain, a namespace a DNS-1123 label. kubectl's client-side dry run does not check them; the API
 * server does, so pullwarden refuses them up front.
 */
import { UsageError } from "../../errors.js";
import { isDns1123Label, isDns1123Subdomain } from "../../kube-model/index.js";

export function assertSecretName(name: string, what = "secret name"): void {
  if (!isDns1123Subdomain(name)) {
    throw new UsageError(
      `invalid ${what} ${JSON.stringify(name)}: must be a lowercase RFC 1123 subdomain (a-z, 0-9, '-', '.'; at most 253 characters)`,
    );
  }
}

export function assertNamespace(namespace: string): void {
  if (!isDns1123Label(namespace)) {
    throw new UsageError(
      `invalid namespace ${JSON.stringify(namespace)}: must be a lowercase RFC 1123 label (a-z, 0-9, '-'; at most 63 characters)`,
    );
  }
}
