/**
 * The hint after an anonymous check that failed on an ECR or ACR image: the same check with the user's cloud
 * identity (`--from-cloud`), which `check` never does unasked (docs/check.md). Pure.
 */
import { classifyRegistryHost } from "../../../hosts/index.js";
import type { ImageReport } from "./render.js";

/** `anonymous`: no credential source was given. */
export function fromCloudHint(reports: readonly ImageReport[], anonymous: boolean): string | undefined {
  if (!anonymous) return undefined;
  const cloud = reports.find((report) => {
    const kind = classifyRegistryHost(report.image.reference.domain).kind;
    return (kind === "ecr" || kind === "acr") && report.result.outcome !== "ok";
  });
  return cloud
    ? `to check with your AWS or Azure identity: pullwarden check ${cloud.image.input.text} --from-cloud`
    : undefined;
}
