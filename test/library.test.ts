// The library entry (`import ... from "pullwarden"`): the README's promise that the pure core works without a
// cluster, and that importing it never loads the Kubernetes client or a cloud SDK.
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { staticGraph } from "./cli/static-imports.js";
import {
  buildDockerConfigJson,
  classifyRegistryHost,
  inspectPullCredentials,
  lookupCredentials,
  normalizeImageName,
  parseDockerConfigText,
} from "../src/index.js";

const root = resolve(import.meta.dirname, "..");

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
});
