// End to end: `pullwarden apply -f LAYOUT` with an ECR registry mints its token through the AWS SDK (moto behind
// AWS_ENDPOINT_URL_ECR, static keys in the environment), never spawning `aws` (no aws on PATH), and writes it into
// a Secret on the real control plane. Then the same path for a registry that really serves an image: moto's
// password (`<account>-auth-token`, user AWS) is a user of a Debian docker-registry with htpasswd, the token is
// minted for that registry host (a mirror in front of ECR: region from the source), applied into a Secret, read
// back, matched with kubelet's keyring rules, and containerd's CRI PullImage pulls the image with it.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
import { runPullwarden } from "../cli/run-cli.js";
import { startCluster } from "../kube/harness.js";
import type { TestCluster } from "../kube/harness.js";
import { pullImage, removeImage, startWorld, WORLD_USER } from "../support/index.js";
import type { World } from "../support/index.js";
import { startMoto } from "../support/moto.js";
import type { Moto } from "../support/moto.js";

const ACCOUNT = "123456789012";
const MOTO_LOGIN = { username: "AWS", password: `${ACCOUNT}-auth-token` };
const SECRET_KEY = "CANARY-apply-secret-key-Zr8w";

let moto: Moto;
let world: World;
let api: TestCluster;
let dir: string;
const saved = { ...process.env };

beforeAll(async () => {
  [moto, world] = await Promise.all([startMoto(), startWorld({ users: [WORLD_USER, MOTO_LOGIN] })]);
  api = await startCluster({ namespaces: ["ingest", "reports", "mirror"] });
  dir = mkdtempSync(join(tmpdir(), "pw-ecr-apply-"));
  // The SDK reads the process environment (as in the CLI): keys for moto, no ambient AWS configuration.
  for (const name of Object.keys(process.env)) if (name.startsWith("AWS_")) delete process.env[name];
  Object.assign(process.env, {
    HOME: dir,
    AWS_ACCESS_KEY_ID: "AKIAAPPLYEXAMPLE0001",
    AWS_SECRET_ACCESS_KEY: SECRET_KEY,
    AWS_ENDPOINT_URL_ECR: moto.endpoint,
    AWS_EC2_METADATA_DISABLED: "true",
  });
}, 180_000);

afterAll(async () => {
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
  await api?.stop();
  await Promise.all([moto?.stop(), world?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function dockerConfigOf(secret: unknown): string {
  const data = (secret as { data?: Record<string, string> }).data ?? {};
  return Buffer.from(data[".dockerconfigjson"] ?? "", "base64").toString("utf8");
}

describe("apply with an ECR cloud-token source", () => {
  it("apply -f LAYOUT writes the token moto minted into each namespace's Secret, with no aws process", async () => {
    const layout = join(dir, "layout.yaml");
    writeFileSync(
      layout,
      [
        "apiVersion: pullwarden.io/v1alpha1",
        "kind: PullLayout",
        "cluster: { provider: gke, name: analytics, gke: { project: acme-analytics } }",
        "registries:",
        `  - { name: ecr, ecr: { accountId: "${ACCOUNT}", region: us-east-1 }, secretName: aws-ecr }`,
        "namespaces:",
        "  - { name: ingest, registries: [ecr] }",
        "  - { name: reports, registries: [ecr] }",
        "",
      ].join("\n"),
    );
    const result = await runPullwarden(["apply", "-f", layout, "--kubeconfig", api.kubeconfigPath], {
      cwd: dir,
      env: { PATH: join(dir, "no-such-bin") }, // an `aws` could not be found: none is run
    });
    expect(result.code, result.stderr).toBe(0);
    for (const namespace of ["ingest", "reports"]) {
      const config = JSON.parse(dockerConfigOf(await api.objects.get("secrets", namespace, "aws-ecr"))) as {
        auths: Record<string, { username: string; password: string }>;
      };
      expect(config.auths[`${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`]).toMatchObject(MOTO_LOGIN);
    }
    for (const text of [result.stdout, result.stderr]) {
      expect(text).not.toContain(MOTO_LOGIN.password);
      expect(text).not.toContain(SECRET_KEY);
    }
  });

  it("a token minted for a registry host pulls the real image through containerd's CRI, with the credential kubelet selects", async () => {
    const image = world.ref(world.basic);
    const socket = world.containerd?.socket ?? "";
    await removeImage(socket, image).catch(() => undefined);
    expect((await pullImage(socket, image)).ok).toBe(false); // anonymous: refused

    const spec: PullSetupSpec = {
      secrets: [
        {
          name: "ecr-mirror",
          source: {
            kind: "cloud-token",
            provider: "ecr",
            server: world.basic.host,
            region: "us-east-1",
            rotateEverySeconds: 21600,
          },
          namespaces: { kind: "names", names: ["mirror"] },
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
      env: {},
      cwd: dir,
      now: () => new Date(),
    };
    const applied = await applyPullSetup(spec, {
      client: KubeClient.connect({ kubeconfig: api.kubeconfigPath, env: {} }),
      resolveCredentials: async (source, name) => (await resolveCredentialSource(source, name, io)).text,
    });
    expect(applied.exitCode).toBe(0);
    expect(Buffer.concat(said).toString()).not.toContain(MOTO_LOGIN.password);

    const text = dockerConfigOf(await api.objects.get("secrets", "mirror", "ecr-mirror"));
    const view = parseDockerConfigTextToView(
      parseDockerConfigText(text, { source: "secret mirror/ecr-mirror" }),
    );
    const selected = lookupCredentials(view.entries, image).matches[0];
    expect(selected?.key).toBe(world.basic.host);
    expect(selected?.entry).toMatchObject(MOTO_LOGIN);
    const pulled = await pullImage(socket, image, {
      username: selected?.entry.username ?? "",
      password: selected?.entry.password ?? "",
      server_address: world.basic.url,
    });
    expect(pulled.ok, JSON.stringify(pulled)).toBe(true);
  });
});
