// `check -f FILE` image lists and reference validation (pure; no registry involved).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inputLocation, parseImageList, parseImages } from "../../src/cli/commands/check/images.js";

describe("parseImageList", () => {
  it("keeps one reference per line with its 1-based line number; blank lines and comments are ignored", () => {
    const text = [
      "# production images",
      "",
      "ghcr.io/org/app:1.0",
      "   nginx:1.27   ",
      "\t# indented comment",
      "registry.example.com:5000/team/api@sha256:" + "a".repeat(64) + "  # pinned",
      "   ",
      "quay.io/x/y#no-space-before-comment",
    ].join("\n");
    expect(parseImageList(text, "images.txt")).toEqual([
      { text: "ghcr.io/org/app:1.0", file: "images.txt", line: 3 },
      { text: "nginx:1.27", file: "images.txt", line: 4 },
      { text: `registry.example.com:5000/team/api@sha256:${"a".repeat(64)}`, file: "images.txt", line: 6 },
      { text: "quay.io/x/y", file: "images.txt", line: 8 },
    ]);
  });

  it("CRLF and CR line ends, a byte order mark and no final newline", () => {
    expect(parseImageList("\uFEFFa:1\r\n\r\nb:2\rc:3", "f")).toEqual([
      { text: "a:1", file: "f", line: 1 },
      { text: "b:2", file: "f", line: 3 },
      { text: "c:3", file: "f", line: 4 },
    ]);
  });

  it("an empty file or only comments gives nothing", () => {
    expect(parseImageList("", "f")).toEqual([]);
    expect(parseImageList("# a\n\n  # b\n", "f")).toEqual([]);
  });

  it("property: every listed reference is the trimmed, comment-free text of its line", () => {
    const line = fc.oneof(
      fc.constantFrom("", "  ", "# comment", "nginx", " ghcr.io/a/b:1 ", "x:1 # c"),
      fc.stringMatching(/^[ a-z0-9:/.#-]{0,20}$/),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), fc.constantFrom("\n", "\r\n"), (lines, eol) => {
        const listed = parseImageList(lines.join(eol), "f");
        for (const entry of listed) {
          const raw = lines[(entry.line ?? 0) - 1] ?? "";
          expect(entry.text).toBe(raw.split("#")[0]?.trim());
          expect(entry.text).not.toBe("");
        }
        const expected = lines.filter((l) => (l.split("#")[0] ?? "").trim() !== "").length;
        expect(listed).toHaveLength(expected);
      }),
    );
  });
});

describe("parseImages", () => {
  it("normalises valid references like kubelet and reports every invalid one with file and line", () => {
    const { valid, invalid } = parseImages([
      { text: "nginx" },
      { text: "Foo//bar", file: "list.txt", line: 7 },
      { text: "ghcr.io/org/app:1.0", file: "list.txt", line: 8 },
      { text: "org/App:1", file: "-", line: 2 },
      { text: "foo_bar.com/app" },
    ]);
    expect(valid.map((v) => v.canonical)).toEqual(["docker.io/library/nginx", "ghcr.io/org/app:1.0"]);
    expect(valid[1]?.reference).toEqual({ domain: "ghcr.io", path: "org/app", tag: "1.0" });
    expect(invalid.map((i) => i.message)).toEqual([
      expect.stringMatching(/^list\.txt:7: parsing image reference "Foo\/\/bar": /),
      expect.stringMatching(/^stdin:2: parsing image reference "org\/App:1": .*must be lowercase/),
      expect.stringMatching(/^parsing image reference "foo_bar\.com\/app": .*not a valid host name/),
    ]);
    for (const i of invalid) expect(i.message).not.toContain("\n");
  });

  it("inputLocation", () => {
    expect(inputLocation({ text: "x" })).toBe("");
    expect(inputLocation({ text: "x", file: "a.txt", line: 3 })).toBe("a.txt:3: ");
    expect(inputLocation({ text: "x", file: "-", line: 1 })).toBe("stdin:1: ");
  });
});
