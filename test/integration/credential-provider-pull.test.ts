// The credentials kubelet gets from pullwarden-credential-provider pull real images: kubelet's own code
// (credprovider-harness) runs the plugin, and containerd's CRI PullImage (the call kubelet makes next, with
// AuthConfig{username, password} and no server_address, as kubelet sends it) pulls from a Debian docker-registry
// with htpasswd. Static: a GHCR-style PAT for the registry. ECR: the AWS SDK mints through moto (moto's token is
// the registry's htpasswd password; containerd reaches the ECR host name through a certs.d mirror), next to
// cloud-provider-aws's ecr-credential-provider on the same config and environment.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pluginBinDir, runHarness, writeProviderConfig } from "../credential-provider/kubelet-harness.js";
import {
  makeScratchDir,
  pullImage,
  removeImage,
  removeScratchDir,
  requireGoTool,
  startWorld,
  WORLD_USER,
} from "../support/index.js";
import type { World } from "../support/index.js";
import { startMoto } from "../support/moto.js";
import type { Moto } from "../support/moto.js";

const ACCOUNT = "123456789012";
const ECR_HOST = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`;
/** moto's GetAuthorizationToken answer, made a user of the registry. */
const MOTO_LOGIN = { username: "AWS", password: `${ACCOUNT}-auth-token` };
const SECRET_KEY = "CANARY-provider-secret-key-q7Lm";

let world: World;
let moto: Moto;
let dir: string;

beforeAll(async () => {
  [world, moto] = await Promise.all([startWorld({ users: [WORLD_USER, MOTO_LOGIN] }), startMoto()]);
  dir = makeScratchDir("credential-provider-pull");
  // containerd resolves the ECR host name to the test registry (a mirror, as certs.d allows).
  world.containerd?.addRegistry({ host: ECR_HOST, url: world.basic.url, caFile: world.basic.caFile });
}, 180_000);

afterAll(async () => {
  await Promise.all([world?.stop(), moto?.stop()]);
  if (dir) removeScratchDir(dir);
});

function socket(): string {
  if (!world.containerd) throw new Error("containerd not started");
  return world.containerd.socket;
}

/** The AWS environment kubelet would have (static keys for moto; no instance metadata). */
function awsEnv(): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: "AKIAPROVIDEREXAMPLE1",
    AWS_SECRET_ACCESS_KEY: SECRET_KEY,
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL_ECR: moto.endpoint,
    AWS_EC2_METADATA_DISABLED: "true",
  };
}

describe("credentials from the plugin pull through containerd's CRI", () => {
  it("static: a registry's PAT from the root-only file", async () => {
    const image = world.ref(world.basic);
    await removeImage(socket(), image).catch(() => undefined);
    expect((await pullImage(socket(), image)).ok).toBe(false); // anonymous: refused

    const staticFile = join(dir, "static.json");
    writeFileSync(
      staticFile,
      JSON.stringify({
        auths: { [world.basic.host]: { username: WORLD_USER.username, password: WORLD_USER.password } },
      }),
      { mode: 0o600 },
    );
    const { binDir } = pluginBinDir(join(dir, "static"));
    mkdirSync(join(dir, "static"), { recursive: true });
    const config = writeProviderConfig(join(dir, "static-config.json"), [
      { matchImages: [world.basic.host], args: ["--static-config", staticFile] },
    ]);
    const result = await runHarness({ config, binDir, images: [image] });
    expect(result.exitCode, result.stderr).toBe(0);
    const credential = result.lookups[0]?.credentials[0];
    expect(credential).toEqual({ username: WORLD_USER.username, password: WORLD_USER.password });
    const pulled = await pullImage(socket(), image, {
      username: credential?.username ?? "",
      password: credential?.password ?? "",
    });
    expect(pulled.ok, JSON.stringify(pulled)).toBe(true);
  });

  it("ECR through the AWS SDK (moto), and cloud-provider-aws's ecr-credential-provider on the same config", async () => {
    const image = `${ECR_HOST}/${world.ref(world.basic).split("/").slice(1).join("/")}`;
    const work = join(dir, "ecr");
    mkdirSync(work, { recursive: true });
    const { binDir, responses } = pluginBinDir(work);
    const upstreamBin = pluginBinDir(
      work,
      "ecr-credential-provider",
      requireGoTool("ecr-credential-provider"),
    );
    const shape = { matchImages: ["*.dkr.ecr.*.amazonaws.com"], defaultCacheDuration: "0" };
    const ours = await runHarness({
      config: writeProviderConfig(join(work, "ours.json"), [shape]),
      binDir,
      images: [image],
      env: awsEnv(),
    });
    const upstream = await runHarness({
      config: writeProviderConfig(join(work, "upstream.json"), [
        { ...shape, name: "ecr-credential-provider" },
      ]),
      binDir: upstreamBin.binDir,
      images: [image],
      env: awsEnv(),
    });
    expect(ours.exitCode, ours.stderr).toBe(0);
    expect(upstream.exitCode, upstream.stderr).toBe(0);
    // Both hand kubelet moto's token for the registry.
    expect(ours.lookups[0]?.credentials).toEqual([MOTO_LOGIN]);
    expect(upstream.lookups[0]?.credentials).toEqual([MOTO_LOGIN]);
    // moto says the token expired on 2015-01-01: ours tells kubelet not to cache it (0s); upstream leaves
    // cacheDuration out, so kubelet caches the spent token for the provider's defaultCacheDuration.
    type Answer = { cacheKeyType: string; cacheDuration: string; auth: object };
    const answer = JSON.parse(responses()[0] ?? "{}") as Answer;
    const theirs = JSON.parse(upstreamBin.responses()[0] ?? "{}") as Answer;
    expect(answer).toMatchObject({ cacheKeyType: "Registry", cacheDuration: "0s" });
    expect(theirs.cacheKeyType).toBe("Registry");
    expect(theirs.cacheDuration).toBeUndefined();
    expect(Object.keys(answer.auth)).toEqual([ECR_HOST]);
    expect(Object.keys(theirs.auth)).toEqual([ECR_HOST]);
    expect(ours.stderr + upstream.stderr).not.toContain(SECRET_KEY);

    await removeImage(socket(), image).catch(() => undefined);
    expect((await pullImage(socket(), image)).ok).toBe(false);
    const pulled = await pullImage(socket(), image, MOTO_LOGIN);
    expect(pulled.ok, JSON.stringify(pulled)).toBe(true);
  });
});
