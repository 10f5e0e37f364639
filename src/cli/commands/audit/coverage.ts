// `audit --cluster -o html`'s namespace × registry coverage matrix: the same matrix and renderer as
// `pullwarden status -o html` (src/controller/status-view-coverage.ts, status-view-html.ts), from the objects
// the audit read. The audit does not read the controller's custom resources, so a controller Secret is named
// by its label, without its binding.
import { coverageMatrix } from "../../../controller/status-view-coverage.js";
import { coverageSectionHtml } from "../../../controller/status-view-html.js";
import { secretFacts } from "../../../controller/status-view-secrets.js";
import type { NamespaceObject, SecretObject } from "../../../kube-model/index.js";

export function coverageSection(objects: readonly unknown[]): string {
  const kinds = (kind: string) =>
    objects.filter((object) => (object as { kind?: unknown } | null)?.kind === kind);
  const namespaces = (kinds("Namespace") as NamespaceObject[]).map((ns) => ({
    name: ns.metadata.name ?? "",
    labels: ns.metadata.labels ?? {},
    terminating: ns.metadata.deletionTimestamp !== undefined,
  }));
  const secrets = (kinds("Secret") as SecretObject[]).flatMap((secret) => {
    const facts = secretFacts(secret);
    return facts ? [facts] : [];
  });
  return coverageSectionHtml(coverageMatrix({ namespaces, secrets, credentialRegistries: [] }));
}
