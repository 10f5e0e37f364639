// Output of `pullwarden secret create`: the Secret as kubectl prints it (-o yaml|json|name), or its one line.
import type { SecretManifest } from "../../../manifest/index.js";
// The printers, loaded by the run: not the manifest index, which pulls in the YAML parser secret create never needs.
import type * as SecretOutput from "../../../manifest/secret-output.js";
import type { SecretCreateFlags } from "./definition.js";

export function renderSecret(
  secret: SecretManifest,
  flags: Pick<SecretCreateFlags, "output" | "creationTimestamp">,
  manifest: typeof SecretOutput,
): string {
  const printOptions = { creationTimestampNull: flags.creationTimestamp !== false };
  switch (flags.output) {
    case "yaml":
      return manifest.printSecretYaml(secret, printOptions);
    case "json":
      return manifest.printSecretJson(secret, printOptions);
    case "name":
      return manifest.printSecretName(secret);
    default:
      return `secret/${secret.name} created (dry run)\n`;
  }
}
