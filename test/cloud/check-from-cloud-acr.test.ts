// `check --from-cloud` for ACR: "can my current Azure identity pull this image?". The cloud keychain mints through
// the credential sources, here @azure/identity (managed identity at the fake IMDS) and ACR's /oauth2/exchange
// (src/cloud/acr, acr-harness.ts), and checkImages runs the registry's token handshake with the refresh token
// (username 00000000-0000-0000-0000-000000000000) against the docker-registry behind the project's token server.
// The ACR answers on loopback, not under an azurecr.io name (no DNS here): the keychain gets the image's
// azurecr.io target, the mint goes to the loopback login server, and a transport sends the image host's requests
// there, as a pull through a mirror would.
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { describeCredential } from "../../src/cli/commands/check/render.js";
import { sourcePorts } from "../../src/cli/flags/source-ports.js";
import type { CliIo } from "../../src/cli/io.js";
import { cloudKeychain, cloudTokenTargetFor, mintThroughSources } from "../../src/cloud/cloud-keychain.js";
import { parseNormalizedReference } from "../../src/reference/index.js";
import { checkImages, createTransport } from "../../src/registry/index.js";
import type { Transport } from "../../src/registry/index.js";
import { startAcrWorld, SYSTEM_MI } from "./acr-harness.js";
import type { AcrWorld } from "./acr-harness.js";

const LOGIN_SERVER = "contoso.azurecr.io";
const NULL_GUID = "00000000-0000-0000-0000-000000000000";
let world: AcrWorld;

beforeAll(async () => {
  world = await startAcrWorld({ containerd: false });
}, 180_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  await world?.stop();
});

function io(): CliIo {
  const stdin = new PassThrough();
  stdin.end();
  return {
    stdin,
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    // The ACR's test CA, as NODE_EXTRA_CA_CERTS reaches the CLI (deferred by its launcher line, src/extra-ca.ts).
    env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: world.imds.url, PULLWARDEN_EXTRA_CA_CERTS: world.pki.caFile },
    cwd: world.dir,
    now: () => new Date(),
  };
}

/** The real transport (trusting the test CA), with the azurecr.io host's requests sent to the loopback ACR. */
function loginServerTo(host: string): Transport {
  const real = createTransport({ ca: world.ca });
  return {
    request(request) {
      const url = new URL(request.url);
      if (url.host === LOGIN_SERVER) url.host = host;
      return real.request({ ...request, url });
    },
    close: () => real.close(),
  };
}

describe("check --from-cloud through @azure/identity and ACR's exchange", () => {
  it("the managed identity's refresh token passes the registry's token handshake; the label names the identity", async () => {
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
    expect(cloudTokenTargetFor(LOGIN_SERVER)).toEqual({
      provider: "acr",
      server: LOGIN_SERVER,
      registryName: "contoso",
    });
    const mint = mintThroughSources(await sourcePorts(io()));
    const targets: string[] = [];
    const minted: string[] = [];
    const keychain = cloudKeychain(async (target) => {
      targets.push(target.server);
      // The login server answers on loopback: mint there, as the target the image named.
      const credential = await mint({ ...target, server: world.acr.host });
      minted.push(credential.password);
      return { ...credential, server: target.server };
    });
    const path = world.acr.image.slice(world.acr.host.length + 1);
    const images = [`${LOGIN_SERVER}/${path}`, `${LOGIN_SERVER}/${path.replace(/:.*$/, ":missing")}`].map(
      (text) => ({ reference: parseNormalizedReference(text) }),
    );
    const transport = loginServerTo(world.acr.host);
    const reports = await checkImages(images, keychain, { transport, concurrency: 2 });
    transport.close();

    expect(targets).toEqual([LOGIN_SERVER]); // one mint for the registry
    expect(reports.map((r) => r.result.outcome)).toEqual(["ok", "not-found"]);
    expect(
      world.acr.tokenServer
        .requests()
        .filter((r) => r.path === "/oauth2/exchange")
        .at(-1),
    ).toMatchObject({ status: 200, subject: SYSTEM_MI.objectId });
    const label = reports[0]!.attempts[0]!.credential;
    expect(label).toMatchObject({
      kind: "cloud",
      username: NULL_GUID,
      identity: "managed identity (system-assigned)",
    });
    expect(Date.parse(label.expiresAt ?? "")).toBeGreaterThan(Date.now());
    expect(minted).toHaveLength(1);
    expect(JSON.stringify(reports)).not.toContain(minted[0]);
    expect(describeCredential(label)).toMatch(
      /^minted by managed identity \(system-assigned\), with ACR token exchange at .+, user 0{8}-0{4}-0{4}-0{4}-0{12}, expires \d{4}-/,
    );
  });
});
