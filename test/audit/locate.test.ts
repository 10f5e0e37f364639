// Field positions: the indentation-based fast path must agree with the YAML syntax tree wherever it answers.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { audit, loadManifestText, locateFields } from "../../src/audit/index.js";
import { REPO_ROOT } from "../support/index.js";

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.(ya?ml|json)$/.test(name) ? [path] : [];
  });
}

const CORPUS = join(REPO_ROOT, "../shared/corpus");
const inputs = [
  ...files(join(REPO_ROOT, "examples/manifests")),
  ...files(join(REPO_ROOT, "testdata/audit/rules")),
  ...(statSync(CORPUS, { throwIfNoEntry: false })?.isDirectory() ? files(CORPUS) : []),
];

describe("locateFields", () => {
  it("points at the key of a field, inside Lists too", () => {
    const text =
      "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: a}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n";
    expect(locateFields(text, [{ line: 4, field: ["spec", "containers", 0, "image"] }])).toEqual([
      { line: 10, column: 9 },
    ]);
    expect(
      locateFields(text, [{ line: 4, field: ["spec", "containers", 0, "image"] }], { fast: false }),
    ).toEqual([{ line: 10, column: 9 }]);
  });

  it("falls back to the syntax tree for flow style and JSON", () => {
    const text = '{"kind": "Pod", "spec": {"containers": [{"name": "c", "image": "nginx"}]}}';
    const request = [{ line: 1, field: ["spec", "containers", 0, "image"] }];
    expect(locateFields(text, request)).toEqual([{ line: 1, column: text.indexOf('"image"') + 1 }]);
  });

  it(`agrees with the YAML syntax tree on every finding of ${inputs.length} files`, () => {
    let compared = 0;
    for (const file of inputs) {
      const text = readFileSync(file, "utf8");
      const loaded = loadManifestText(text, file);
      const result = audit(loaded.objects, { mode: "files", now: new Date("2026-06-01T00:00:00Z") });
      const requests = [
        ...result.findings.flatMap((finding) => [finding.location, ...(finding.related ?? [])]),
      ]
        .filter((location) => location.origin?.file === file && location.field)
        .map((location) => ({ line: location.origin?.line ?? 1, field: location.field ?? [] }));
      if (requests.length === 0) continue;
      const fast = locateFields(text, requests);
      const slow = locateFields(text, requests, { fast: false });
      expect(fast, file).toEqual(slow);
      compared += requests.length;
    }
    expect(compared).toBeGreaterThan(100);
  });
});
