import { describe, expect, it } from "vitest";
import { parseCanonicalReference } from "./canonical.js";
import { toDockerRef, withDefaultTag } from "./docker-ref.js";
import { familiarName, familiarString, referenceString, repositoryName } from "./format.js";
import type { ImageReference } from "./image-reference.js";
import { parseNormalizedReference } from "./normalize.js";

const DIGEST = "sha256:e6693c20186f837fc393390135d8a598a96a833917917789d63766cab6c59582";

describe("repositoryName and referenceString (Name and String)", () => {
  it.each<[ImageReference, string, string]>([
    [{ domain: "docker.io", path: "library/nginx" }, "docker.io/library/nginx", "docker.io/library/nginx"],
    [{ domain: "ghcr.io", path: "o/a", tag: "1" }, "ghcr.io/o/a", "ghcr.io/o/a:1"],
    [{ domain: "ghcr.io", path: "o/a", digest: DIGEST }, "ghcr.io/o/a", `ghcr.io/o/a@${DIGEST}`],
    [{ domain: "h:1", path: "a", tag: "t", digest: DIGEST }, "h:1/a", `h:1/a:t@${DIGEST}`],
    [{ domain: "", path: "foo_bar.com/app" }, "foo_bar.com/app", "foo_bar.com/app"],
    [{ domain: "ghcr.io", path: "a", tag: "" }, "ghcr.io/a", "ghcr.io/a"], // "" means absent, as in Go
  ])("%j", (ref, name, full) => {
    expect(repositoryName(ref)).toBe(name);
    expect(referenceString(ref)).toBe(full);
  });
});

describe("familiarName and familiarString (FamiliarName, FamiliarString)", () => {
  it.each([
    ["docker.io/library/nginx", "nginx", "nginx"],
    ["docker.io/library/nginx:1.25", "nginx", "nginx:1.25"],
    [`nginx:1@${DIGEST}`, "nginx", `nginx:1@${DIGEST}`],
    ["docker.io/user/app:1", "user/app", "user/app:1"],
    ["docker.io/library/a/b", "library/a/b", "library/a/b"], // "library/" stays when more nesting follows
    ["index.docker.io/library/nginx", "nginx", "nginx"],
    ["ghcr.io/library/nginx", "ghcr.io/library/nginx", "ghcr.io/library/nginx"], // only on Docker Hub
    ["localhost:5000/app:dev", "localhost:5000/app", "localhost:5000/app:dev"],
  ])("%s", (input, name, full) => {
    const ref = parseNormalizedReference(input);
    expect(familiarName(ref)).toBe(name);
    expect(familiarString(ref)).toBe(full);
  });

  it("does not round-trip a Docker Hub namespace that looks like a domain (as in distribution)", () => {
    const ref = parseNormalizedReference("docker.io/a.b/c");
    expect(ref).toEqual({ domain: "docker.io", path: "a.b/c" });
    expect(familiarString(ref)).toBe("a.b/c");
    expect(parseNormalizedReference(familiarString(ref))).toEqual({ domain: "a.b", path: "c" });
  });
});

describe("withDefaultTag (TagNameOnly)", () => {
  it.each<[ImageReference, ImageReference]>([
    [
      { domain: "docker.io", path: "library/nginx" },
      { domain: "docker.io", path: "library/nginx", tag: "latest" },
    ],
    [
      { domain: "docker.io", path: "library/nginx", tag: "1" },
      { domain: "docker.io", path: "library/nginx", tag: "1" },
    ],
    [
      { domain: "docker.io", path: "library/nginx", digest: DIGEST },
      { domain: "docker.io", path: "library/nginx", digest: DIGEST },
    ],
  ])("%j", (ref, expected) => {
    expect(withDefaultTag(ref)).toEqual(expected);
  });
});

// Ported from distribution/reference normalize_test.go TestParseDockerRef
// (https://github.com/distribution/reference/blob/main/normalize_test.go).
describe("toDockerRef (TestParseDockerRef)", () => {
  it.each([
    ["nothing", "busybox", "docker.io/library/busybox:latest"],
    ["tag only", "busybox:latest", "docker.io/library/busybox:latest"],
    ["digest only", `busybox@${DIGEST}`, `docker.io/library/busybox@${DIGEST}`],
    ["path only", "library/busybox", "docker.io/library/busybox:latest"],
    ["hostname only", "docker.io/busybox", "docker.io/library/busybox:latest"],
    ["no tag", "docker.io/library/busybox", "docker.io/library/busybox:latest"],
    ["no path", "docker.io/busybox:latest", "docker.io/library/busybox:latest"],
    ["no hostname", "library/busybox:latest", "docker.io/library/busybox:latest"],
    ["full reference with tag", "docker.io/library/busybox:latest", "docker.io/library/busybox:latest"],
    ["gcr reference without tag", "gcr.io/library/busybox", "gcr.io/library/busybox:latest"],
    ["both tag and digest", `gcr.io/library/busybox:latest@${DIGEST}`, `gcr.io/library/busybox@${DIGEST}`],
  ])("%s", (_name, input, expected) => {
    const output = referenceString(toDockerRef(parseNormalizedReference(input)));
    expect(output).toBe(expected);
    expect(() => parseCanonicalReference(output)).not.toThrow();
  });
});
