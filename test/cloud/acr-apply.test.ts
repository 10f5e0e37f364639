// End to end: a layout's ACR `cloud-token` source goes through cloud/acr (managed identity at the fake IMDS, the
// token server's /oauth2/exchange), never `az` (no az on PATH); apply writes the refresh token into a Secret on the
// real control plane; the Secret is read back, matched with kubelet's keyring rules, and containerd's CRI
// PullImage pulls the image from the ACR (docker-registry behind the token server) with the credential kubelet
// selects: username 00000000-0000-0000-0000-000000000000 and the refresh token.
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { applyPullSetup } from "../../src/apply/index.js";
import { resolveCredentialSource } from "../../src/cli/flags/payload.js";
import type { CliIo } from "../../src/cli/io.js";
import type { PullSetupSpec } from "../../src/desired/index.js";
import {
  lookupCredentials,
  parseDockerConfigText,
  parseDockerConfigTextToView,
} from "../../src/dockerconfig/index.js";
import { KubeClient } from "../../src/kube/index.js";
import { startCluster } from "../kube/harness.js";
import type { TestCluster } from "../kube/harness.js";
import { pullImage, removeImage } from "../support/cri-client.js";
import { startAcrWorld, SYSTEM_MI } from "./acr-harness.js";
import type { AcrWorld } from "./acr-harness.js";

const NULL_GUID = "00000000-0000-0000-0000-000000000000";
let world: AcrWorld;
let api: TestCluster;

beforeAll(async () => {
  [world, api] = await Promise.all([startAcrWorld(), startCluster({ namespaces: ["apps"] })]);
}, 180_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  await api?.stop();
  await world?.stop();
});

function dockerConfigOf(secret: unknown): string {
  const data = (secret as { data?: Record<string, string> }).data ?? {};
  return Buffer.from(data[".dockerconfigjson"] ?? "", "base64").toString("utf8");
}

describe("apply with an ACR cloud-token source", () => {
  it("mints through managed identity and the exchange, with no az, and containerd pulls with what kubelet selects", async () => {
    const image = world.acr.image;
    const socket = world.containerd?.socket ?? "";
    await removeImage(socket, image).catch(() => undefined);
    expect((await pullImage(socket, image)).ok).toBe(false); // anonymous: refused

    // The SDK reads IMDS's address from the process environment, as in the CLI; the source ports get the rest.
    const env = {
      AZURE_POD_IDENTITY_AUTHORITY_HOST: world.imds.url,
      // The ACR's test CA, as NODE_EXTRA_CA_CERTS reaches the CLI (deferred by its launcher line, src/extra-ca.ts).
      PULLWARDEN_EXTRA_CA_CERTS: world.pki.caFile,
      PATH: join(world.dir, "no-such-bin"), // an `az` could not be found: none is run
    };
    for (const name of [
      "AZURE_FEDERATED_TOKEN_FILE",
      "AZURE_CLIENT_ID",
      "AZURE_TENANT_ID",
      "IDENTITY_ENDPOINT",
      "MSI_ENDPOINT",
    ]) {
      vi.stubEnv(name, undefined);
    }
    vi.stubEnv("AZURE_POD_IDENTITY_AUTHORITY_HOST", world.imds.url);

    const spec: PullSetupSpec = {
      secrets: [
        {
          name: "acr-pull",
          source: { kind: "cloud-token", provider: "acr", server: world.acr.host, rotateEverySeconds: 3600 },
          namespaces: { kind: "names", names: ["apps"] },
          serviceAccounts: ["default"],
        },
      ],
    };
    const stderr = new PassThrough();
    const said: Buffer[] = [];
    stderr.on("data", (chunk: Buffer) => said.push(chunk));
    const io: CliIo = {
      stdin: new PassThrough(),
      stdout: new PassThrough(),
      stderr,
      env,
      cwd: world.dir,
      now: () => new Date(),
    };
    const applied = await applyPullSetup(spec, {
      client: KubeClient.connect({ kubeconfig: api.kubeconfigPath, env: {} }),
      resolveCredentials: async (source, name) => (await resolveCredentialSource(source, name, io)).text,
    });
    expect(applied.exitCode).toBe(0);
    // Minted by the system-assigned identity through the exchange.
    expect(world.imds.requests().at(-1)).toMatchObject({ status: 200, clientId: null });
    expect(
      world.acr.tokenServer
        .requests()
        .filter((r) => r.path === "/oauth2/exchange")
        .at(-1),
    ).toMatchObject({
      status: 200,
      subject: SYSTEM_MI.objectId,
    });

    const text = dockerConfigOf(await api.objects.get("secrets", "apps", "acr-pull"));
    const view = parseDockerConfigTextToView(parseDockerConfigText(text, { source: "secret apps/acr-pull" }));
    const selected = lookupCredentials(view.entries, image).matches[0];
    expect(selected?.key).toBe(world.acr.host);
    expect(selected?.entry.username).toBe(NULL_GUID);
    const password = selected?.entry.password ?? "";
    expect(Buffer.concat(said).toString()).not.toContain(password);
    const pulled = await pullImage(socket, image, {
      username: NULL_GUID,
      password,
      server_address: world.acr.url,
    });
    expect(pulled.ok, JSON.stringify(pulled)).toBe(true);
  });
});
