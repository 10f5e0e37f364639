import { describe, expect, it } from "vitest";
import {
  blobUrl,
  imageString,
  manifestReference,
  manifestUrl,
  registryBaseUrl,
  registryHost,
  tagsUrl,
} from "./endpoint.js";

describe("registry endpoints", () => {
  it.each([
    ["docker.io", "registry-1.docker.io"],
    ["index.docker.io", "registry-1.docker.io"],
    ["Docker.IO", "registry-1.docker.io"],
    ["ghcr.io", "ghcr.io"],
    ["127.0.0.1:5000", "127.0.0.1:5000"],
    ["[::1]:5000", "[::1]:5000"],
  ])("%s is served by %s", (domain, host) => {
    expect(registryHost(domain)).toBe(host);
  });

  it("builds URLs (https unless plain HTTP)", () => {
    expect(registryBaseUrl("docker.io")).toBe("https://registry-1.docker.io");
    expect(registryBaseUrl("localhost:5000", true)).toBe("http://localhost:5000");
    const base = "https://r";
    expect(manifestUrl(base, "library/nginx", "1.25")).toBe("https://r/v2/library/nginx/manifests/1.25");
    expect(manifestUrl(base, "a/b", "sha256:abc")).toBe("https://r/v2/a/b/manifests/sha256:abc");
    expect(manifestUrl(base, "a?x#y", "t")).toBe("https://r/v2/a%3Fx%23y/manifests/t");
    expect(blobUrl(base, "a", "sha256:abc")).toBe("https://r/v2/a/blobs/sha256:abc");
    expect(tagsUrl(base, "a/b")).toBe("https://r/v2/a/b/tags/list?n=1");
  });

  it("resolves the reference like a pull: digest over tag, latest by default", () => {
    expect(manifestReference({ domain: "d", path: "p" })).toEqual({ ref: "latest", kind: "tag" });
    expect(manifestReference({ domain: "d", path: "p", tag: "1" })).toEqual({ ref: "1", kind: "tag" });
    expect(manifestReference({ domain: "d", path: "p", tag: "1", digest: "sha256:x" })).toEqual({
      ref: "sha256:x",
      kind: "digest",
    });
    expect(imageString({ domain: "docker.io", path: "library/nginx", tag: "1", digest: "sha256:x" })).toBe(
      "docker.io/library/nginx:1@sha256:x",
    );
  });
});
