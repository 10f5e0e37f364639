import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatScope, parseScope, repositoryScope, splitScopes } from "./scope.js";

describe("repositoryScope", () => {
  it.each([
    ["org/app", undefined, "repository:org/app:pull"],
    ["library/nginx", ["pull", "push"], "repository:library/nginx:pull,push"],
    // A proxy/mirror repository name may hold host:port.
    ["localhost:5000/team/app", undefined, "repository:localhost:5000/team/app:pull"],
  ])("%s %j -> %s", (name, actions, expected) => {
    expect(repositoryScope(name, actions)).toBe(expected);
  });
});

describe("parseScope", () => {
  it.each([
    ["repository:org/app:pull", { type: "repository", name: "org/app", actions: ["pull"] }],
    [
      "repository:localhost:5000/app:pull,push",
      { type: "repository", name: "localhost:5000/app", actions: ["pull", "push"] },
    ],
    ["registry:catalog:*", { type: "registry", name: "catalog", actions: ["*"] }],
    ["repository:[::1]:5000/app:pull", { type: "repository", name: "[::1]:5000/app", actions: ["pull"] }],
  ])("%s", (text, expected) => {
    expect(parseScope(text)).toEqual(expected);
  });

  it.each(["", "repository", "repository:app", ":app:pull", "repository::pull", "repository:app:"])(
    "%j is not a scope",
    (text) => {
      expect(parseScope(text)).toBeUndefined();
    },
  );

  it("round-trips any repository name with host:port parts", () => {
    const segment = fc.stringMatching(/^[a-z0-9]+([._-][a-z0-9]+)*$/);
    const name = fc
      .tuple(
        fc.option(fc.tuple(fc.domain(), fc.integer({ min: 1, max: 65535 }))),
        fc.array(segment, { minLength: 1, maxLength: 3 }),
      )
      .map(([host, parts]) => [...(host ? [`${host[0]}:${host[1]}`] : []), ...parts].join("/"));
    fc.assert(
      fc.property(name, fc.subarray(["pull", "push", "delete"], { minLength: 1 }), (n, actions) => {
        expect(parseScope(repositoryScope(n, actions))).toEqual({ type: "repository", name: n, actions });
      }),
    );
  });
});

describe("formatScope / splitScopes", () => {
  it("formats and splits", () => {
    expect(formatScope({ type: "repository", name: "a", actions: ["pull"] })).toBe("repository:a:pull");
    expect(splitScopes("repository:a:pull  repository:b:pull,push")).toEqual([
      "repository:a:pull",
      "repository:b:pull,push",
    ]);
  });
});
