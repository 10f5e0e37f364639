import { describe, expect, it } from "vitest";
import { Script } from "node:vm";
import { codeCachePath, packName, packSource, userCodeCacheDirectory } from "./code-cache.js";

describe("userCodeCacheDirectory", () => {
  it.each([
    [{ HOME: "/home/u" }, "linux", "/home/u/.cache/pullwarden/v8"],
    [{ HOME: "/home/u", XDG_CACHE_HOME: "/var/cache/u" }, "linux", "/var/cache/u/pullwarden/v8"],
    // XDG Base Directory: a relative XDG_CACHE_HOME is ignored.
    [{ HOME: "/home/u", XDG_CACHE_HOME: "cache" }, "linux", "/home/u/.cache/pullwarden/v8"],
    [{ HOME: "/Users/u" }, "darwin", "/Users/u/Library/Caches/pullwarden/v8"],
    [{ LOCALAPPDATA: "C:\\Users\\u\\AppData\\Local" }, "win32", "C:\\Users\\u\\AppData\\Local/pullwarden/v8"],
    [{}, "linux", undefined],
    [{ HOME: "" }, "linux", undefined],
    [{ HOME: "/home/u", PULLWARDEN_CODE_CACHE: "off" }, "linux", undefined],
  ] as const)("%j on %s: %s", (env, platform, expected) => {
    const got = userCodeCacheDirectory(env, platform);
    expect(got?.replaceAll("\\", "/")).toBe(expected?.replaceAll("\\", "/"));
  });
});

describe("codeCachePath", () => {
  it("names the script, this Node's version and architecture, in the directory given", () => {
    const suffix = `${process.version}-${process.arch}.v8cache`;
    expect(codeCachePath("/d/fast", "chunk-ABC.js")).toBe(`/d/fast/chunk-ABC.js.${suffix}`);
    expect(codeCachePath("/c", "check.pack-0123abcd.js")).toBe(`/c/check.pack-0123abcd.js.${suffix}`);
  });
});

describe("packName", () => {
  it("names a fast command's pack after its words and its content", () => {
    expect(packName("secret create", "0123abcd")).toBe("secret-create.pack-0123abcd.js");
    expect(packName("check", "0123abcd")).toBe("check.pack-0123abcd.js");
  });
});

describe("packSource", () => {
  it("is one object of CommonJS module wrappers, by chunk name, each run only when called", () => {
    const source = packSource([
      ["a.js", 'exports.name = "a"; exports.b = require("./b.js").name;'],
      ["b.js", "module.exports = { name: __filename.slice(-4) }; // a trailing comment\n"],
    ]);
    const chunks = new Script(source).runInThisContext() as Record<string, (...args: unknown[]) => void>;
    expect(Object.keys(chunks)).toEqual(["a.js", "b.js"]);
    const b = { exports: {} as Record<string, unknown> };
    chunks["b.js"]?.(b.exports, () => undefined, b, "/d/b.js", "/d");
    const a = { exports: {} as Record<string, unknown> };
    chunks["a.js"]?.(a.exports, () => b.exports, a, "/d/a.js", "/d");
    expect(a.exports).toEqual({ name: "a", b: "b.js" });
  });
});
