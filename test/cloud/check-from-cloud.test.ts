// `check --from-cloud`: "can my current AWS identity pull this ECR image?". The keychain check builds for it
// (src/cloud/cloud-keychain.ts) mints through the credential sources, here the AWS SDK (src/cloud/ecr) against
// moto with static keys in the environment, and checkImages runs the registry handshake with that token. The
// registry is a Debian docker-registry (htpasswd) holding moto's login (`AWS` / `<account>-auth-token`), reached
// under the ECR host name through a transport that sends the ECR host's requests to it (no DNS here), as a pull
// through a mirror would. Then the CLI: no identity at all is exit 4 naming what was tried, before any registry
// is asked; images on no cloud are refused (exit 2).
import { mkdtempSync, rmSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeCredential } from "../../src/cli/commands/check/render.js";
import { sourcePorts } from "../../src/cli/flags/source-ports.js";
import type { CliIo } from "../../src/cli/io.js";
import { cloudKeychain, mintThroughSources } from "../../src/cloud/cloud-keychain.js";
import { parseNormalizedReference } from "../../src/reference/index.js";
import { checkImages, createTransport } from "../../src/registry/index.js";
import type { Transport } from "../../src/registry/index.js";
import { runPullwarden } from "../cli/run-cli.js";
import { APP_REPO, startWorld, TAG, WORLD_USER } from "../support/index.js";
import type { World } from "../support/index.js";
import { startMoto } from "../support/moto.js";
import type { Moto } from "../support/moto.js";

const ACCOUNT = "123456789012";
const ECR = `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com`;
const MOTO_LOGIN = { username: "AWS", password: `${ACCOUNT}-auth-token` };
const SECRET_KEY = "CANARY-check-secret-key-Qw3p";

let moto: Moto;
let world: World;
let dir: string;
const saved = { ...process.env };

beforeAll(async () => {
  [moto, world] = await Promise.all([
    startMoto(),
    startWorld({ users: [WORLD_USER, MOTO_LOGIN], containerd: false }),
  ]);
  dir = mkdtempSync(join(tmpdir(), "pw-check-cloud-"));
  for (const name of Object.keys(process.env)) if (name.startsWith("AWS_")) delete process.env[name];
  Object.assign(process.env, {
    HOME: dir,
    AWS_ENDPOINT_URL_ECR: moto.endpoint,
    AWS_EC2_METADATA_DISABLED: "true",
  });
}, 180_000);

afterAll(async () => {
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
  await Promise.all([moto?.stop(), world?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function io(): CliIo {
  const stdin = new PassThrough();
  stdin.end();
  return {
    stdin,
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    env: { ...process.env },
    cwd: dir,
    now: () => new Date(),
  };
}

/** The real transport, with the ECR host's requests sent to the local registry (its certificate names 127.0.0.1). */
function ecrHostTo(host: string): Transport {
  const real = createTransport({ ca: readFileSync(world.pki.caFile, "utf8") });
  return {
    request(request) {
      const url = new URL(request.url);
      if (url.host === ECR) url.host = host;
      return real.request({ ...request, url });
    },
    close: () => real.close(),
  };
}

describe("check --from-cloud through the AWS SDK (moto)", () => {
  it("mints with the environment's keys, once for the registry, and the handshake pulls with the token", async () => {
    process.env["AWS_ACCESS_KEY_ID"] = "AKIACHECKEXAMPLE0001";
    process.env["AWS_SECRET_ACCESS_KEY"] = SECRET_KEY;
    try {
      const keychain = cloudKeychain(mintThroughSources(await sourcePorts(io())));
      const images = [`${ECR}/${APP_REPO}:${TAG}`, `${ECR}/${APP_REPO}:missing`].map((text) => ({
        reference: parseNormalizedReference(text),
      }));
      const transport = ecrHostTo(world.basic.host);
      const reports = await checkImages(images, keychain, { transport, concurrency: 2 });
      transport.close();
      expect(reports.map((r) => r.result.outcome)).toEqual(["ok", "not-found"]);
      const label = reports[0]!.attempts[0]!.credential;
      expect(label).toMatchObject({ kind: "cloud", username: "AWS", identity: expect.any(String) });
      // moto answers a fixed expiresAt (2015-01-01): what matters is that it is ECR's, shown as given.
      expect(label.expiresAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      const shown = describeCredential(label);
      expect(shown).toMatch(/^minted by .+, user AWS, expires \d{4}-/);
      for (const secret of [MOTO_LOGIN.password, SECRET_KEY]) {
        expect(JSON.stringify(reports)).not.toContain(secret);
        expect(shown).not.toContain(secret);
      }
    } finally {
      delete process.env["AWS_ACCESS_KEY_ID"];
      delete process.env["AWS_SECRET_ACCESS_KEY"];
    }
  });

  it("no AWS identity at all: exit 4 saying so, and nothing is checked", async () => {
    const result = await runPullwarden(["check", `${ECR}/${APP_REPO}:${TAG}`, "--from-cloud"], {
      env: { ...process.env },
      cwd: dir,
    });
    expect(result.code).toBe(4);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(
      /^error: no AWS credentials to mint an ECR token for .+: tried environment variables/,
    );
    expect(result.stderr.split("\n").filter((line) => line.startsWith("error:"))).toHaveLength(1);
  });
});

describe("check --from-cloud usage", () => {
  it("an image on no cloud is refused before anything is minted (exit 2)", async () => {
    const result = await runPullwarden(["check", `${ECR}/a:1`, "ghcr.io/acme/app:1", "--from-cloud"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "--from-cloud mints tokens for private ECR and ACR registries only, and this image is on neither: ghcr.io/acme/app:1",
    );
    expect(moto.logs()).not.toContain("GetAuthorizationToken\n");
  });

  it("is one credential source among --secret, --docker-config and --username", async () => {
    const result = await runPullwarden([
      "check",
      `${ECR}/a:1`,
      "--from-cloud",
      "--docker-config=/nonexistent",
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("use one credential source, not --docker-config and --from-cloud");
  });
});
