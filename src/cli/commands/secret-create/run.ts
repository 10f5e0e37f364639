/**
 * `pullwarden secret create NAME`: kubectl's `create secret docker-registry` with the same flags and the same
 * bytes, plus safe password sources, several registries in one Secret, and refusal of entries that kubelet,
 * containerd or skopeo would reject or misread. src/cli/flags/payload.ts (shared with apply) maps the flags to
 * credential sources; src/cloud reads them and builds and checks the payload.
 */
import { UsageError } from "../../../errors.js";
import type { SecretManifest } from "../../../manifest/index.js";
import { assertNamespace, assertSecretName } from "../../flags/names.js";
import { buildCheckedPayload } from "../../flags/payload.js";
import type { CliIo } from "../../io.js";
import type { SecretCreateFlags } from "./definition.js";
import { renderSecret } from "./render.js";

export async function runSecretCreate(name: string, options: SecretCreateFlags, io: CliIo): Promise<number> {
  assertSecretName(name);
  if (options.namespace !== undefined) assertNamespace(options.namespace);
  checkDryRun(options, io);

  // Not the manifest index: that one pulls in the YAML parser, which secret create never needs.
  const manifest = await import("../../../manifest/secret-output.js");

  const payload = await buildCheckedPayload(options, io);

  let secret: SecretManifest = {
    name,
    ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
    type: manifest.DOCKER_CONFIG_JSON_TYPE,
    data: { [manifest.DOCKER_CONFIG_JSON_KEY]: Buffer.from(payload.text, "utf8").toString("base64") },
  };
  if (options.appendHash) {
    const { withHashSuffix } = await import("../../../manifest/secret-hash.js");
    secret = withHashSuffix(secret);
    assertSecretName(secret.name, "secret name with its hash suffix");
  }
  io.stdout.write(renderSecret(secret, options, manifest));
  return 0;
}

function checkDryRun(options: SecretCreateFlags, io: CliIo): void {
  switch (options.dryRun) {
    case "client":
      return;
    case true:
      io.stderr.write("warning: --dry-run is deprecated and can be replaced with --dry-run=client.\n");
      return;
    case "server":
      throw new UsageError("--dry-run=server needs a cluster; secret create only prints manifests", {
        hint: "use --dry-run=client -o yaml and pipe it to kubectl apply --dry-run=server -f -",
      });
    default:
      throw new UsageError(
        "secret create prints the Secret without sending it anywhere: add --dry-run=client",
        {
          hint: "pullwarden secret create NAME ... --dry-run=client -o yaml | kubectl apply -f -",
        },
      );
  }
}
