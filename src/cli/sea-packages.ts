/**
 * The cloud SDKs inside the single executable: the packages the fast path imports only for ECR and ACR images
 * (@aws-sdk/*, @azure/*) are kept out of its main script (sea-launcher.ts), so `secret create` and most checks
 * read about as much as dist/bin/fast/ holds. They are the SEA asset PACKAGES (sea-assets.ts: one CommonJS
 * bundle exporting a loader per package), run the first time one is imported. The build
 * (scripts/build-binaries.mjs) points the main script's imports of these packages at `seaPackage`.
 */
import { getAsset } from "node:sea";
import { PACKAGES, compileSeaScript, runSeaScript } from "./sea-assets.js";

let loaders: Record<string, unknown> | undefined;

/** The package `name` (its CommonJS exports), from the packages asset. */
export function seaPackage(name: string): unknown {
  loaders ??= runSeaScript(compileSeaScript(getAsset, PACKAGES), PACKAGES);
  const load = loaders[name];
  if (typeof load !== "function") throw new Error(`the executable holds no package ${name}: a build defect`);
  return (load as () => unknown)();
}
