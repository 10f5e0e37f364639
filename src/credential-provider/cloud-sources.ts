/**
 * The ECR and ACR sources the plugin uses by default: the SDK-backed ones of src/cloud/ecr and src/cloud/acr.
 * Loaded with a dynamic import from serve's port only when an ECR or ACR image is asked for, so a static answer
 * never loads an SDK.
 */
import { EnvironmentError } from "../errors.js";
import type { CloudSources } from "./serve.js";

function unavailable(what: string): never {
  throw new EnvironmentError(
    "E_PROVIDER_NO_SOURCE",
    `the ${what} source is not part of this build`,
    {
      hint: "serve this registry with --static-config, or use a pullwarden build with the cloud SDK sources",
    },
  );
}

export function sdkCloudSources(): CloudSources {
  return {
    ecr: () => Promise.resolve(unavailable("ECR")),
    acr: () => Promise.resolve(unavailable("ACR")),
  };
}
