// ACR through pullwarden-credential-provider under kubelet's own code (credprovider-harness): the node's managed
// identity at a fake IMDS, ACR's /oauth2/exchange at the token server in front of a Debian docker-registry (the
// ACR fakes of test/cloud/acr-harness.ts), and containerd's CRI PullImage with the refresh token kubelet got.
// The registry is on 127.0.0.1:PORT, so it is named with --acr-login-server (an ACR under a custom domain).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAcrWorld, SYSTEM_MI } from "../cloud/acr-harness.js";
import type { AcrWorld } from "../cloud/acr-harness.js";
import { pluginBinDir, runHarness, writeProviderConfig } from "../credential-provider/kubelet-harness.js";
import { pullImage, removeImage } from "../support/index.js";

const NULL_GUID = "00000000-0000-0000-0000-000000000000";
let world: AcrWorld;

beforeAll(async () => {
  world = await startAcrWorld();
}, 180_000);
afterAll(async () => world?.stop());

describe("ACR with the node's managed identity", () => {
  it("kubelet gets an ACR refresh token from the plugin, cached until shortly before its exp, and containerd pulls with it", async () => {
    const work = join(world.dir, "provider");
    mkdirSync(work, { recursive: true });
    const { binDir, responses } = pluginBinDir(work);
    const config = writeProviderConfig(join(work, "config.json"), [
      {
        matchImages: [world.acr.host],
        args: ["--acr-login-server", world.acr.host],
        // The node's environment: IMDS at the fake, the fakes' CA trusted.
        env: [
          { name: "AZURE_POD_IDENTITY_AUTHORITY_HOST", value: world.imds.url },
          { name: "NODE_EXTRA_CA_CERTS", value: world.pki.caFile },
        ],
      },
    ]);
    const result = await runHarness({ config, binDir, images: [world.acr.image] });
    expect(result.exitCode, result.stderr).toBe(0);
    const credential = result.lookups[0]?.credentials[0];
    expect(credential?.username).toBe(NULL_GUID);
    expect(
      world.acr.tokenServer
        .requests()
        .filter((r) => r.path === "/oauth2/exchange")
        .at(-1),
    ).toMatchObject({
      status: 200,
      subject: SYSTEM_MI.objectId,
    });
    const answer = JSON.parse(responses()[0] ?? "{}") as {
      cacheKeyType: string;
      cacheDuration: string;
      auth: object;
    };
    expect(answer.cacheKeyType).toBe("Registry");
    // The fake's refresh token lives ~3 hours: cached until 15 minutes before its exp.
    expect(answer.cacheDuration).toMatch(/^2h4[45]m\d+s$/);
    expect(Object.keys(answer.auth)).toEqual([world.acr.host]);

    const socket = world.containerd?.socket ?? "";
    await removeImage(socket, world.acr.image).catch(() => undefined);
    expect((await pullImage(socket, world.acr.image)).ok).toBe(false);
    const pulled = await pullImage(socket, world.acr.image, {
      username: credential?.username ?? "",
      password: credential?.password ?? "",
      // containerd 1.6 needs the scheme on it for a refresh token (test/support/README.md).
      server_address: world.acr.url,
    });
    expect(pulled.ok, JSON.stringify(pulled)).toBe(true);
  });

  it("without an identity on the node: one E_AZURE line in kubelet's log, kubelet goes on without credentials", async () => {
    const work = join(world.dir, "no-identity");
    mkdirSync(work, { recursive: true });
    const { binDir } = pluginBinDir(work);
    const config = writeProviderConfig(join(work, "config.json"), [
      {
        matchImages: [world.acr.host],
        args: ["--acr-login-server", world.acr.host],
        env: [
          { name: "AZURE_POD_IDENTITY_AUTHORITY_HOST", value: "http://127.0.0.1:9" },
          { name: "NODE_EXTRA_CA_CERTS", value: world.pki.caFile },
        ],
      },
    ]);
    const result = await runHarness({ config, binDir, images: [world.acr.image] });
    expect(result.lookups[0]?.found).toBe(false);
    expect(result.stderr).toMatch(/pullwarden-credential-provider: .*\[E_AZURE_[A-Z_]+\]/);
  });
});
