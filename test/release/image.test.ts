// The controller's image (scripts/build-image.mjs) as a cluster gets it: one multi-architecture image (an OCI image
// index of linux/amd64 and linux/arm64) pushed with skopeo to the TLS + htpasswd test registry, which serves the
// index with both platforms; pulled through containerd's CRI with credentials (the call kubelet makes), which picks
// this machine's platform, and run by containerd with runc (`ctr run`, the image's own user, a read-only root
// filesystem, no network): the single executable starts on the image's empty base, and `controller run` from the
// image, against the real control plane, writes the pull secret a binding asks for. The arm64 image's root
// filesystem is complete: its executable runs from the unpacked layer under qemu-user. The layers hold no shell,
// the images run as 65532, and a second build writes the same bytes.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCluster } from "../kube/harness.js";
import {
  OCI_INDEX,
  REPO_ROOT,
  makeScratchDir,
  pullImage,
  pushImageOrThrow,
  removeScratchDir,
  requireTool,
  runCommand,
  skopeoInspect,
  startWorld,
} from "../support/index.js";
import { waitUntil } from "../support/net.js";
import {
  CONTROLLER_NAMESPACE,
  controllerWorld,
  createBinding,
  createStaticCredential,
  storedAuths,
} from "../controller/harness.js";
import type { Descriptor, World } from "../support/index.js";
import {
  RELEASE_DIR,
  SEA_VERSION_LINE,
  SECRET_CREATE_ARGS,
  ensureReleaseBinaries,
  releaseBinary,
} from "./release-binaries.js";
import type { Arch } from "./release-binaries.js";

const layout = join(RELEASE_DIR, "image");
const TAG = "0.1.0";
const ARCHES: Arch[] = ["amd64", "arm64"];
// Where each architecture's dynamic loader is (the executable's PT_INTERP) and where the image keeps the libraries.
const RUNTIME = {
  amd64: { loader: "./lib64/ld-linux-x86-64.so.2", libraries: "./lib/x86_64-linux-gnu/" },
  arm64: { loader: "./lib/ld-linux-aarch64.so.1", libraries: "./lib/aarch64-linux-gnu/" },
};
// This machine's architecture (Go's names): the platform containerd picks from the index.
const HOST_ARCH = ({ x64: "amd64", arm64: "arm64" } as const)[process.arch as "x64" | "arm64"];
let world: World;
let image: string;

interface ImageConfig {
  architecture: string;
  os: string;
  config: { User: string; Entrypoint: string[]; Cmd: string[] };
}

function blob(digest: string): Buffer {
  return readFileSync(join(layout, "blobs", "sha256", digest.slice("sha256:".length)));
}

function sha256(data: string | Buffer): string {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

/** The image index the layout's index.json names under TAG. */
function imageIndex(): { descriptor: Descriptor; manifests: Descriptor[] } {
  const layoutIndex = JSON.parse(readFileSync(join(layout, "index.json"), "utf8")) as {
    manifests: Descriptor[];
  };
  const tagged = layoutIndex.manifests.filter(
    (entry) => entry.annotations?.["org.opencontainers.image.ref.name"] === TAG,
  );
  expect(tagged.map((entry) => entry.mediaType)).toEqual([OCI_INDEX]);
  const descriptor = tagged[0] as Descriptor;
  const { mediaType, manifests } = JSON.parse(blob(descriptor.digest).toString()) as {
    mediaType: string;
    manifests: Descriptor[];
  };
  expect(mediaType).toBe(OCI_INDEX);
  return { descriptor, manifests };
}

/** One platform's image in the layout: its config (and the config's digest), its one layer. */
function platformImage(arch: Arch): {
  configDigest: string;
  config: ImageConfig;
  layer: Buffer;
} {
  const entry = imageIndex().manifests.find((manifest) => manifest.platform?.architecture === arch);
  if (!entry) throw new Error(`no linux/${arch} image in ${layout}`);
  const manifest = JSON.parse(blob(entry.digest).toString()) as {
    config: Descriptor;
    layers: Descriptor[];
  };
  expect(manifest.layers).toHaveLength(1);
  return {
    configDigest: manifest.config.digest,
    config: JSON.parse(blob(manifest.config.digest).toString()) as ImageConfig,
    layer: blob(manifest.layers[0]?.digest ?? ""),
  };
}

/** node scripts/build-image.mjs: both architectures, tagged TAG. */
function buildImageLayout(): void {
  const built = spawnSync(process.execPath, ["scripts/build-image.mjs", "--tag", TAG], {
    cwd: REPO_ROOT,
    encoding: "utf8",
  });
  if (built.status !== 0) throw new Error(`scripts/build-image.mjs failed: ${built.stderr}`);
}

beforeAll(async () => {
  for (const arch of ARCHES) ensureReleaseBinaries(arch);
  buildImageLayout();
  world = await startWorld();
  image = world.ref(world.basic, "pullwarden/controller", TAG);
  // skopeo copy --all: the index and every platform's image.
  await pushImageOrThrow(`oci:${layout}:${TAG}`, image, { creds: world.user, certDir: world.basic.certDir });
}, 600_000);
afterAll(async () => world?.stop());

describe("controller image", () => {
  it("is an image index of linux/amd64 and linux/arm64, each running its single executable as 65532 with no shell in it", () => {
    expect(imageIndex().manifests.map((manifest) => manifest.platform)).toEqual([
      { architecture: "amd64", os: "linux" },
      { architecture: "arm64", os: "linux", variant: "v8" },
    ]);
    for (const arch of ARCHES) {
      const { config, layer } = platformImage(arch);
      expect(config).toMatchObject({ architecture: arch, os: "linux" });
      expect(config.config).toMatchObject({
        User: "65532:65532",
        Entrypoint: ["/usr/local/bin/pullwarden"],
        Cmd: ["controller", "run"],
      });
      // `tar -tv`: mode, owner/group, size, date, time, path.
      const listing = spawnSync("tar", ["-tvz"], { input: layer, encoding: "utf8" });
      const entries = listing.stdout
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => line.split(/\s+/));
      const files = new Map(
        entries
          .filter(([mode]) => !mode?.startsWith("d"))
          .map(([mode, owner, size, , , path]) => [path ?? "", { mode, owner, size }] as const),
      );
      expect(files.get("./usr/local/bin/pullwarden"), arch).toEqual({
        mode: "-rwxr-xr-x",
        owner: "0/0",
        size: String(statSync(releaseBinary("pullwarden", arch)).size),
      });
      expect(files.has("./etc/ssl/certs/ca-certificates.crt")).toBe(true);
      expect(files.get("./etc/passwd")?.mode).toBe("-rw-r--r--");
      expect(files.has(RUNTIME[arch].loader), arch).toBe(true);
      const libraries = [...files.keys()]
        .filter((path) => path.startsWith(RUNTIME[arch].libraries))
        .map((path) => path.slice(RUNTIME[arch].libraries.length))
        .sort();
      expect(libraries, arch).toEqual(
        expect.arrayContaining(["libc.so.6", "libm.so.6", "libstdc++.so.6", "libgcc_s.so.1"]),
      );
      if (arch === HOST_ARCH) {
        // Read from the ELF files; this machine's loader (ldd) names the same libraries for its own architecture.
        const ldd = spawnSync("ldd", [releaseBinary("pullwarden", arch)], { encoding: "utf8" });
        const loaded = [...ldd.stdout.matchAll(/^\s*(\S+) => \//gm)].map((match) => match[1]);
        expect(libraries).toEqual(loaded.sort());
      }
      expect([...files.keys()].filter((file) => /\/(sh|bash|busybox)$/.test(file))).toEqual([]);
      expect(
        entries.every(([mode, owner]) => owner === "0/0" && !mode?.startsWith("l")),
        arch,
      ).toBe(true);
    }
  });

  it("the registry serves the index with both platforms", async () => {
    const { descriptor, manifests } = imageIndex();
    const served = await skopeoInspect(image, { raw: true, creds: world.user, certDir: world.basic.certDir });
    expect(served.ok, served.stderr).toBe(true);
    // The index as built, byte for byte, and each platform's manifest under its digest.
    expect(sha256(served.stdout)).toBe(descriptor.digest);
    const index = JSON.parse(served.stdout) as { mediaType: string; manifests: Descriptor[] };
    expect(index.mediaType).toBe(OCI_INDEX);
    expect(index.manifests.map((manifest) => manifest.platform?.architecture)).toEqual(["amd64", "arm64"]);
    for (const manifest of manifests) {
      const byDigest = image.replace(new RegExp(`:${TAG}$`), `@${manifest.digest}`);
      const platform = await skopeoInspect(byDigest, {
        raw: true,
        creds: world.user,
        certDir: world.basic.certDir,
      });
      expect(platform.ok, platform.stderr).toBe(true);
      expect(sha256(platform.stdout)).toBe(manifest.digest);
    }
  }, 120_000);

  it("the arm64 image's root filesystem is complete: its executable runs from the unpacked layer under qemu-user", async () => {
    const qemu = requireTool("qemu-aarch64");
    const rootfs = makeScratchDir("image-rootfs-arm64");
    try {
      const unpacked = spawnSync("tar", ["-xz", "-C", rootfs], { input: platformImage("arm64").layer });
      expect(unpacked.status, unpacked.stderr.toString()).toBe(0);
      const executable = join(rootfs, "usr/local/bin/pullwarden");
      // -L: the arm64 loader (/lib/ld-linux-aarch64.so.1) and every path it opens are looked up in the rootfs
      // first. qemu-user falls back to this machine's paths, which hold no arm64 libraries (Debian's cross
      // packages are in /usr/aarch64-linux-gnu): the last run shows a library missing from the image fails.
      const env = { PATH: process.env["PATH"] ?? "", HOME: "/nonexistent", PW: "canary-4d1e" };
      const version = await runCommand(qemu, ["-L", rootfs, executable, "--version"], { env });
      expect(version.stderr).toBe("");
      expect(version.stdout).toMatch(SEA_VERSION_LINE);
      const args = [...SECRET_CREATE_ARGS, "-o", "yaml"];
      const onArm = await runCommand(qemu, ["-L", rootfs, executable, ...args], { env });
      const onAmd = await runCommand(releaseBinary("pullwarden", "amd64"), args, { env });
      expect(onArm.stderr).toBe("");
      expect(onArm.exitCode).toBe(0);
      expect(onArm.stdout).toBe(onAmd.stdout);
      expect(onArm.stdout).toContain("kubernetes.io/dockerconfigjson");
      rmSync(join(rootfs, "lib/aarch64-linux-gnu/libstdc++.so.6"));
      const missing = await runCommand(qemu, ["-L", rootfs, executable, "--version"], { env });
      expect(missing.exitCode).not.toBe(0);
      expect(missing.stderr).toMatch(/libstdc\+\+\.so\.6: cannot open shared object file/);
    } finally {
      removeScratchDir(rootfs);
    }
  }, 120_000);

  it("pulls through containerd's CRI with the registry's credentials, and runs with a read-only root filesystem", async () => {
    const containerd = world.containerd;
    if (!containerd) throw new Error("containerd not started");
    const pulled = await pullImage(containerd.socket, image, world.user);
    expect(pulled.ok, JSON.stringify(pulled)).toBe(true);
    // The CRI's image id is the config digest of the manifest it picked from the index: this machine's platform.
    expect(pulled.ok && pulled.imageRef).toBe(platformImage(HOST_ARCH).configDigest);
    const run = await containerd.ctr(
      ["run", "--rm", "--read-only", image, "pullwarden-version", "/usr/local/bin/pullwarden", "--version"],
      { namespace: "k8s.io" },
    );
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(SEA_VERSION_LINE);
    const help = await containerd.ctr(
      [
        "run",
        "--rm",
        "--read-only",
        image,
        "pullwarden-help",
        "/usr/local/bin/pullwarden",
        "controller",
        "run",
        "--help",
      ],
      { namespace: "k8s.io" },
    );
    expect(help.stdout, help.stderr).toMatch(/controller run/);
  }, 120_000);

  it("controller run from the image writes the pull secret a binding asks for on the real control plane", async () => {
    const containerd = world.containerd;
    if (!containerd) throw new Error("containerd not started");
    const user = { username: "robot", password: "image-Canary-51" };
    const api = await startCluster({ namespaces: ["team-a"] });
    const controllerWorldOf = await controllerWorld(api, user);
    // Readable by the image's user 65532 through a read-only bind mount.
    const config = mkdtempSync(join(tmpdir(), "pullwarden-image-config-"));
    chmodSync(config, 0o755);
    copyFileSync(api.kubeconfigPath, join(config, "kubeconfig"));
    copyFileSync(controllerWorldOf.registry.caFile ?? "", join(config, "registry-ca.crt"));
    chmodSync(join(config, "kubeconfig"), 0o644);
    chmodSync(join(config, "registry-ca.crt"), 0o644);
    const task = "pullwarden-controller";
    const args = ["--address", containerd.socket, "-n", "k8s.io", "run", "--rm", "--read-only", "--net-host"];
    args.push("--mount", `type=bind,src=${config},dst=/config,options=rbind:ro`);
    args.push(
      image,
      task,
      "/usr/local/bin/pullwarden",
      "controller",
      "run",
      "--kubeconfig",
      "/config/kubeconfig",
    );
    args.push("--namespace", CONTROLLER_NAMESPACE, "--no-leader-elect", "--http-address", "127.0.0.1:0");
    args.push("--ca-file", "/config/registry-ca.crt");
    const child = spawn(requireTool("ctr"), args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    try {
      await createStaticCredential(api);
      await createBinding(api, "apps", {
        credentials: ["registry"],
        secretName: "registry-pull",
        namespaces: { names: ["team-a"] },
      });
      await waitUntil(
        "the pull secret in team-a",
        async () => (await storedAuths(api, "team-a", "registry-pull")) !== undefined,
        {
          timeoutMs: 60_000,
          describe: () => output.slice(-3000),
        },
      );
      expect(await storedAuths(api, "team-a", "registry-pull")).toEqual({
        [controllerWorldOf.registry.host]: {
          username: user.username,
          password: user.password,
          auth: Buffer.from(`${user.username}:${user.password}`).toString("base64"),
        },
      });
      expect(output).not.toContain(user.password);
    } finally {
      await containerd.ctr(["task", "kill", "--signal", "SIGTERM", task], { namespace: "k8s.io" });
      const code = await Promise.race([
        exited,
        new Promise((resolve) => setTimeout(() => resolve("timeout"), 20_000)),
      ]);
      if (code === "timeout") {
        await containerd.ctr(["task", "kill", "--signal", "SIGKILL", task], { namespace: "k8s.io" });
        await exited;
      }
      await controllerWorldOf.stop();
      await api.stop();
      rmSync(config, { recursive: true, force: true });
    }
    expect(await exited).toBe(0);
  }, 300_000);

  it("is reproducible: a second build writes the same bytes", () => {
    const blobs = (): string[] => readdirSync(join(layout, "blobs", "sha256")).sort();
    // index.json names the image index by digest, which names every manifest, config and layer by digest.
    const first = { index: readFileSync(join(layout, "index.json"), "utf8"), blobs: blobs() };
    buildImageLayout();
    expect({ index: readFileSync(join(layout, "index.json"), "utf8"), blobs: blobs() }).toEqual(first);
  }, 300_000);
});
