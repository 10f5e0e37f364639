// The library entries (`import ... from "pullwarden"` and "pullwarden/kube"): the README's promise that the pure
// core works without a cluster and never loads the Kubernetes client or a cloud SDK; the exported names as a
// committed snapshot (an API change is a visible diff); no exported signature using a type users cannot
// name; and every docs/library.md example type-checked against the entries and run with Node.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { staticGraph } from "./cli/static-imports.js";
import {
  bundleExample,
  createApiProgram,
  ENTRIES,
  forgottenExports,
  libraryExamples,
  typeErrors,
  withOutputs,
} from "./library-api.js";
import { startCluster } from "./kube/harness.js";
import type { TestCluster } from "./kube/harness.js";
import {
  buildImage,
  makeScratchDir,
  pushImageOrThrow,
  removeScratchDir,
  runCommand,
  startRegistry,
} from "./support/index.js";
import type { Registry } from "./support/index.js";
import {
  buildDockerConfigJson,
  classifyRegistryHost,
  inspectPullCredentials,
  lookupCredentials,
  normalizeImageName,
  parseDockerConfigText,
} from "../src/index.js";

const root = resolve(import.meta.dirname, "..");
const SNAPSHOT = join(root, "test/library-api.snapshot.txt");
const UPDATE_ENV = "UPDATE_LIBRARY_API";

describe("library API", () => {
  it("builds a pull secret payload and tells which credential kubelet tries for an image", () => {
    const payload = buildDockerConfigJson([{ server: "ghcr.io", username: "bot", password: "s3cret" }]);
    const config = parseDockerConfigText(payload, { source: "example" });
    expect(normalizeImageName("ghcr.io/acme/api:1.4")).toBe("ghcr.io/acme/api");
    const lookup = lookupCredentials(config.entries, "ghcr.io/acme/api:1.4");
    expect(lookup.ok && lookup.matches.map((match) => match.key)).toEqual(["ghcr.io"]);
    expect(classifyRegistryHost("ghcr.io").kind).toBe("ghcr");
    const report = inspectPullCredentials([{ label: "example", location: "example", config, problems: [] }], {
      now: new Date(),
    });
    expect(JSON.stringify(report)).not.toContain("s3cret");
  });

  it("does not statically load the Kubernetes client, cloud SDKs or the CLI", () => {
    const graph = staticGraph(join(root, "src/index.ts"));
    expect([...graph.packages].filter((name) => /kubernetes|aws-sdk|azure|commander/.test(name))).toEqual([]);
    expect([...graph.files].some((file) => file.includes("/src/cli/") || file.includes("/src/kube/"))).toBe(
      false,
    );
  });

  it("exports exactly the runtime names of test/library-api.snapshot.txt", async () => {
    const sections: string[] = [];
    for (const [name, file] of Object.entries(ENTRIES)) {
      const module = (await import(join(root, file))) as Record<string, unknown>;
      sections.push(`[${name}]\n${Object.keys(module).sort().join("\n")}\n`);
    }
    const header =
      "# The runtime names each library entry exports (src/index.ts, src/kube-entry.ts; docs/library.md).\n" +
      `# Checked by test/library.test.ts; after an intended API change: ${UPDATE_ENV}=1 npx vitest run test/library.test.ts\n`;
    const actual = `${header}\n${sections.join("\n")}`;
    if (process.env[UPDATE_ENV] === "1") writeFileSync(SNAPSHOT, actual);
    const expected = readFileSync(SNAPSHOT, "utf8");
    if (actual !== expected) {
      const was = new Set(expected.split("\n"));
      const now = new Set(actual.split("\n"));
      const added = [...now].filter((line) => line !== "" && !was.has(line));
      const removed = [...was].filter((line) => line !== "" && !now.has(line));
      expect.fail(
        `the library API changed (added: ${added.join(", ") || "none"}; removed: ${removed.join(", ") || "none"}). ` +
          `If intended, update the snapshot with ${UPDATE_ENV}=1 npx vitest run test/library.test.ts, ` +
          "document the change in docs/library.md and commit test/library-api.snapshot.txt with it",
      );
    }
  });
});

// The examples need a registry and a cluster to talk to: a real docker-registry (TLS, htpasswd) holding
// acme/api:1.4, and a real control plane (test/kube/real-cluster.ts) with a namespace `apps` whose Pod names a
// missing pull secret.
const examples = libraryExamples(readFileSync(join(root, "docs/library.md"), "utf8"));
const exampleFile = (line: number) => join(root, `docs/library.md.example-${line}.ts`);
const bundles = join(root, "node_modules/.cache/pullwarden-library-examples");
const REGISTRY_USER = { username: "ci-bot", password: "library-example-password" };
let registry: Registry | undefined;
let api: TestCluster | undefined;
let home: string | undefined;

beforeAll(async () => {
  home = makeScratchDir("library-home");
  const image = buildImage(join(home, "image"), { tag: "1.4" });
  const [startedRegistry, startedApi] = await Promise.all([
    startRegistry({ auth: "htpasswd", tls: true, users: [REGISTRY_USER] }),
    startCluster({
      namespaces: ["apps"],
      objects: [
        {
          apiVersion: "v1",
          kind: "Pod",
          metadata: { name: "api-0", namespace: "apps" },
          spec: {
            imagePullSecrets: [{ name: "ghcr-pull" }],
            containers: [{ name: "api", image: "ghcr.io/acme/api:1.4" }],
          },
        },
      ],
    }),
  ]);
  registry = startedRegistry;
  api = startedApi;
  await pushImageOrThrow(image.ref, `${registry.host}/acme/api:1.4`, {
    creds: REGISTRY_USER,
    certDir: registry.certDir,
  });
  rmSync(bundles, { recursive: true, force: true });
  mkdirSync(bundles, { recursive: true });
}, 120_000);

// With UPDATE_LIBRARY_API=1, the Output blocks of docs/library.md are rewritten from what the examples print.
const printed = new Map<number, string>();

afterAll(async () => {
  await Promise.allSettled([registry?.stop(), api?.stop()]);
  if (home !== undefined) removeScratchDir(home);
  if (process.env[UPDATE_ENV] === "1" && printed.size > 0) {
    const doc = join(root, "docs/library.md");
    writeFileSync(doc, withOutputs(readFileSync(doc, "utf8"), printed));
  }
});

describe("docs/library.md", () => {
  it("has an example for each group, and every type an exported signature uses is exported", () => {
    expect(examples.length).toBeGreaterThanOrEqual(13);
    const program = createApiProgram(
      root,
      new Map(examples.map((example) => [exampleFile(example.line), example.code])),
    );
    expect(
      typeErrors(
        program,
        examples.map((example) => exampleFile(example.line)),
      ),
    ).toEqual([]);
    const forgotten = forgottenExports(
      program,
      Object.values(ENTRIES).map((file) => join(root, file)),
    ).map((type) => `${type.name} (${type.file}, used by ${type.usedBy})`);
    expect(forgotten, "export these types from the entry whose signatures use them").toEqual([]);
  }, 60_000);

  it.each(examples)("example at line $line runs", async ({ line, code, output }) => {
    const bundle = join(bundles, `example-${line}.mjs`);
    await bundleExample(root, code, bundle);
    // Asynchronously: the proxy in front of the API server runs in this process.
    const result = await runCommand(process.execPath, [bundle], {
      cwd: home,
      env: {
        PATH: process.env["PATH"] ?? "/usr/bin:/bin",
        HOME: home,
        KUBECONFIG: api?.kubeconfigPath,
        REGISTRY: registry?.host,
        REGISTRY_PASSWORD: REGISTRY_USER.password,
        REGISTRY_CA_FILE: registry?.caFile,
      },
    });
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    printed.set(line, result.stdout);
    if (output !== undefined && process.env[UPDATE_ENV] !== "1") {
      expect(
        result.stdout,
        `docs/library.md:${line}: the example's output is not its Output block; if the new output is right, ` +
          `${UPDATE_ENV}=1 npx vitest run test/library.test.ts rewrites the block`,
      ).toBe(output);
    }
  });
});
