#!/usr/bin/env node
// The kubectl plugin release (https://krew.sigs.k8s.io/docs/developer-guide/plugin-manifest/), from the single
// executables scripts/build-binaries.mjs put in dist/release/: one kubectl-pullwarden-linux-<arch>.tar.gz per
// platform (the pullwarden executable named kubectl-pullwarden, and LICENSE; reproducible: sorted, fixed times and
// owners, gzip without a name or time) and the manifest dist/release/pullwarden.yaml naming each archive's uri and
// sha256. krew installs it as `kubectl krew install --manifest=pullwarden.yaml` (test/release/krew.test.ts does,
// with each archive, using krew itself).
//
// Usage: node scripts/krew-manifest.mjs --base-url https://host/path/v0.1.0 (where the archives will be served)
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { stringify } from "yaml";

const root = resolve(import.meta.dirname, "..");
const release = join(root, "dist", "release");
const ARCHES = ["amd64", "arm64"];
const KREW_BIN = "kubectl-pullwarden";

/** kubectl-pullwarden-linux-<arch>.tar.gz; returns its file name. */
function archive(arch) {
  const binary = join(release, `pullwarden-linux-${arch}`);
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run node scripts/build-binaries.mjs first`);
  const stage = join(release, `.krew-${arch}`);
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage);
  copyFileSync(binary, join(stage, KREW_BIN));
  copyFileSync(join(root, "LICENSE"), join(stage, "LICENSE"));
  execFileSync("chmod", ["0755", join(stage, KREW_BIN)]);
  execFileSync("chmod", ["0644", join(stage, "LICENSE")]);
  const name = `${KREW_BIN}-linux-${arch}.tar.gz`;
  const tarball = join(stage, "archive.tar");
  execFileSync(
    "tar",
    ["--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner"].concat([
      "-cf",
      tarball,
      "-C",
      stage,
      KREW_BIN,
      "LICENSE",
    ]),
  );
  writeFileSync(join(release, name), execFileSync("gzip", ["-n", "-c", tarball], { maxBuffer: 1 << 30 }));
  rmSync(stage, { recursive: true, force: true });
  return name;
}

function sha256(file) {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/** The krew Plugin manifest for the archives (name: file name under dist/release/). */
export function krewManifest({ version, baseUrl, archives }) {
  return {
    apiVersion: "krew.googlecontainertools.github.com/v1alpha2",
    kind: "Plugin",
    metadata: { name: "pullwarden" },
    spec: {
      version: `v${version}`,
      homepage: baseUrl.replace(/\/releases\/.*$/, ""),
      shortDescription: "Secure, boring private-registry image pulls",
      description: [
        "pullwarden makes private-registry image pulls in Kubernetes secure and boring: it creates and checks",
        "image pull secrets, audits which workloads can pull what, and diagnoses failed pulls for ACR, ECR,",
        "GHCR and any OCI registry.",
        "",
      ].join("\n"),
      platforms: archives.map(({ arch, name, digest }) => ({
        selector: { matchLabels: { os: "linux", arch } },
        uri: `${baseUrl}/${name}`,
        sha256: digest,
        files: [
          { from: KREW_BIN, to: "." },
          { from: "LICENSE", to: "." },
        ],
        bin: KREW_BIN,
      })),
    },
  };
}

async function main() {
  const { values } = parseArgs({ options: { "base-url": { type: "string" } } });
  const baseUrl = values["base-url"]?.replace(/\/+$/, "");
  if (!baseUrl) throw new Error("--base-url URL is required: where the archives will be downloaded from");
  const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const archives = ARCHES.map((arch) => {
    const name = archive(arch);
    return { arch, name, digest: sha256(join(release, name)) };
  });
  writeFileSync(
    join(release, "pullwarden.yaml"),
    stringify(krewManifest({ version, baseUrl, archives }), { lineWidth: 0 }),
  );
  console.log(join(release, "pullwarden.yaml"));
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
