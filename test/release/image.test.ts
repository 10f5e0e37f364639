// The controller's image (scripts/build-image.mjs) as a cluster gets it: the OCI layout pushed with skopeo to the
// TLS + htpasswd test registry, pulled through containerd's CRI with credentials (the call kubelet makes), and run
// by containerd with runc (`ctr run`, the image's own user, a read-only root filesystem, no network): the single
// executable starts on the image's empty base, and `controller run` from the image, against the real control plane,
// writes the pull secret a binding asks for. The layer holds no shell, and the image runs as 65532.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCluster } from "../kube/harness.js";
import { REPO_ROOT, pullImage, pushImageOrThrow, requireTool, startWorld } from "../support/index.js";
import { waitUntil } from "../support/net.js";
import {
  CONTROLLER_NAMESPACE,
  GROUP_PATH,
  binding,
  controllerWorld,
  createObject,
  createStaticCredential,
  storedAuths,
} from "../controller/harness.js";
import type { World } from "../support/index.js";
import { RELEASE_DIR, ensureReleaseBinaries } from "./release-binaries.js";

const layout = join(RELEASE_DIR, "image-amd64");
let world: World;
let image: string;

function blob(digest: string): Buffer {
  return readFileSync(join(layout, "blobs", "sha256", digest.slice("sha256:".length)));
}

beforeAll(async () => {
  ensureReleaseBinaries("amd64");
  const built = spawnSync(
    process.execPath,
    ["scripts/build-image.mjs", "--arch", "amd64", "--tag", "0.1.0"],
    {
      cwd: REPO_ROOT,
      encoding: "utf8",
    },
  );
  if (built.status !== 0) throw new Error(`scripts/build-image.mjs failed: ${built.stderr}`);
  world = await startWorld();
  image = world.ref(world.basic, "pullwarden/controller", "0.1.0");
  await pushImageOrThrow(`oci:${layout}:0.1.0`, image, { creds: world.user, certDir: world.basic.certDir });
}, 600_000);
afterAll(async () => world?.stop());

describe("controller image", () => {
  it("runs the single executable as 65532 with no shell in it", () => {
    const index = JSON.parse(readFileSync(join(layout, "index.json"), "utf8")) as {
      manifests: { digest: string }[];
    };
    const manifest = JSON.parse(blob(index.manifests[0]?.digest ?? "").toString()) as {
      config: { digest: string };
      layers: { digest: string }[];
    };
    const config = JSON.parse(blob(manifest.config.digest).toString()) as {
      config: { User: string; Entrypoint: string[]; Cmd: string[] };
    };
    expect(config.config).toMatchObject({
      User: "65532:65532",
      Entrypoint: ["/usr/local/bin/pullwarden"],
      Cmd: ["controller", "run"],
    });
    const listing = spawnSync("tar", ["-tz"], {
      input: blob(manifest.layers[0]?.digest ?? ""),
      encoding: "utf8",
    });
    const files = listing.stdout.split("\n").filter((line) => line !== "" && !line.endsWith("/"));
    expect(files).toContain("./usr/local/bin/pullwarden");
    expect(files).toContain("./etc/ssl/certs/ca-certificates.crt");
    expect(files).toContain("./etc/passwd");
    expect(files.filter((file) => /\/(sh|bash|busybox)$/.test(file))).toEqual([]);
  });

  it("pulls through containerd's CRI with the registry's credentials, and runs with a read-only root filesystem", async () => {
    const containerd = world.containerd;
    if (!containerd) throw new Error("containerd not started");
    const pulled = await pullImage(containerd.socket, image, world.user);
    expect(pulled.ok, JSON.stringify(pulled)).toBe(true);
    const run = await containerd.ctr(
      ["run", "--rm", "--read-only", image, "pullwarden-version", "/usr/local/bin/pullwarden", "--version"],
      { namespace: "k8s.io" },
    );
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(/^0\.1\.0 \(single executable, Node\.js v\d+\.\d+\.\d+\)\n$/);
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
      await createObject(
        api,
        `${GROUP_PATH}/clusterpullsecretbindings`,
        binding("apps", {
          credentials: ["registry"],
          secretName: "registry-pull",
          namespaces: { names: ["team-a"] },
        }),
      );
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
});
