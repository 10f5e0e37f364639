import { describe, expect, it } from "vitest";
import { buildDockerConfigFromAuths } from "./build.js";
import { mergeDockerConfigs } from "./merge.js";
import { parseDockerConfigText } from "./parse.js";

const cfg = (text: string) => parseDockerConfigText(text, { source: "t" });

describe("mergeDockerConfigs", () => {
  it("merges by kubelet's normalised key; later wins and is reported", () => {
    const merged = mergeDockerConfigs([
      { source: "a.json", config: cfg('{"auths":{"ghcr.io":{"auth":"dTpw"},"quay.io":{"auth":"cTpx"}}}') },
      {
        source: "b.json",
        config: cfg('{"auths":{"https://ghcr.io/v2/":{"auth":"eDp5"},"quay.io":{"auth":"cTpx"}}}'),
      },
      { source: "c.json", config: cfg('{"auths":{"docker.io":{"auth":"ZDpk"}}}') },
    ]);
    expect(merged.auths.map((e) => [e.key, e.normalizedKey, e.source, e.decoded?.username])).toEqual([
      ["https://ghcr.io/v2/", "ghcr.io", "b.json", "x"],
      ["quay.io", "quay.io", "b.json", "q"],
      ["docker.io", "docker.io", "c.json", "d"],
    ]);
    expect(merged.problems.map((p) => [p.severity, p.code, p.source])).toEqual([
      ["warning", "merge-conflict", "b.json"],
      ["info", "merge-duplicate", "b.json"],
    ]);
    expect(merged.problems[0]?.message).toBe(
      'registry "ghcr.io": "https://ghcr.io/v2/" from b.json replaces "ghcr.io" from a.json (different credentials)',
    );
    expect(JSON.stringify(merged.problems)).not.toMatch(/dTpw|eDp5/);
  });

  it("feeds buildDockerConfigFromAuths", () => {
    const merged = mergeDockerConfigs([
      { source: "a", config: cfg('{"auths":{"b.io":{"auth":"dTpw"}}}') },
      { source: "b", config: cfg('{"a.io":{"username":"x","password":"y"}}') },
    ]);
    expect(buildDockerConfigFromAuths(merged.auths)).toBe(
      '{"auths":{"a.io":{"username":"x","password":"y","auth":"eDp5"},"b.io":{"auth":"dTpw"}}}',
    );
  });

  it("keys unparseable registry keys by their raw text", () => {
    const merged = mergeDockerConfigs([
      { source: "a", config: cfg('{"auths":{"reg .io":{"auth":"dTpw"}}}') },
    ]);
    expect(merged.auths[0]?.normalizedKey).toBe("reg .io");
  });
});
