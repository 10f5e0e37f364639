// docs/exit-codes.md#error-codes lists every error code (E_...) the source names, with its class and exit code:
// a code added to the source without a row, a row whose code left the source, or a class whose exit code is
// not the row's fails here.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "..");
const doc = readFileSync(join(root, "docs/exit-codes.md"), "utf8");

/** Every non-test TypeScript file under src/. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

interface Row {
  readonly code: string;
  readonly classes: string[];
  readonly exit: string;
}

/** The table's rows; a code with a `<PLACEHOLDER>` tail (`E_KUBE_<REASON>`) is a family made at run time. */
function documentedRows(): Row[] {
  const section = doc.slice(doc.indexOf("## Error codes"));
  return [...section.matchAll(/^\| `(E_[A-Z0-9_]+(?:<[A-Z_]+>)?)` +\| ([^|]+)\| +([0-9—]) \|/gm)].map(
    (match) => ({
      code: match[1] as string,
      classes: [...(match[2] as string).matchAll(/`(\w+)`/g)].map((name) => name[1] as string),
      exit: match[3] as string,
    }),
  );
}

interface Mention {
  readonly code: string;
  readonly where: string;
  /** `startsWith("E_X")`: a prefix of codes, not a code. */
  readonly prefix: boolean;
}

/** Every E_ code the source names: in strings, template literals (`E_KUBE_${...}` ends in _) and comments. */
function sourceMentions(): Mention[] {
  const mentions: Mention[] = [];
  for (const file of sourceFiles(join(root, "src"))) {
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(/\bE_[A-Z0-9_]+/g)) {
      const before = text.slice(Math.max(0, match.index - 13), match.index);
      mentions.push({
        code: match[0],
        where: `${relative(root, file)}:${text.slice(0, match.index).split("\n").length}`,
        prefix: /startsWith\(\s*["'`]$/.test(before),
      });
    }
  }
  return mentions;
}

const rows = documentedRows();
const exact = new Set(rows.filter((row) => !row.code.includes("<")).map((row) => row.code));
const families = rows
  .filter((row) => row.code.includes("<"))
  .map((row) => row.code.slice(0, row.code.indexOf("<")));
const mentions = sourceMentions();

describe("docs/exit-codes.md#error-codes", () => {
  it("has rows to check", () => {
    expect(rows.length).toBeGreaterThan(40);
    expect(families).toEqual(expect.arrayContaining(["E_KUBE_", "E_REGISTRY_"]));
  });

  it("documents every code the source names", () => {
    const missing = mentions.filter(({ code, prefix }) => {
      if (prefix) return ![...exact].some((documented) => documented.startsWith(code));
      if (code.endsWith("_")) return !families.includes(code);
      return !exact.has(code) && !families.some((family) => code.startsWith(family));
    });
    expect(
      missing.map(({ code, where }) => `${code} (${where})`),
      "add a row to docs/exit-codes.md#error-codes (class, exit code, meaning)",
    ).toEqual([]);
  });

  it("documents no code the source no longer has", () => {
    const named = new Set(mentions.map((mention) => mention.code));
    expect([...exact].filter((code) => !named.has(code))).toEqual([]);
    expect(families.filter((family) => !named.has(family))).toEqual([]);
  });

  it("gives each code the exit code of its class", () => {
    // `class X extends Y` in the source, walked up to the four classes whose exit code errors.ts fixes.
    const parents = new Map<string, string>();
    for (const file of sourceFiles(join(root, "src"))) {
      for (const match of readFileSync(file, "utf8").matchAll(/\bclass (\w+) extends (\w+)/g)) {
        parents.set(match[1] as string, match[2] as string);
      }
    }
    const base: Record<string, string> = {
      UsageError: "2",
      InputError: "3",
      EnvironmentError: "4",
      InternalError: "5",
    };
    const exitOf = (name: string): string | undefined => {
      for (let current: string | undefined = name; current !== undefined; current = parents.get(current)) {
        if (base[current] !== undefined) return base[current];
      }
      return undefined;
    };
    const wrong = rows
      .filter((row) => row.exit !== "—")
      .flatMap((row) =>
        row.classes
          .filter((name) => exitOf(name) !== row.exit)
          .map(
            (name) =>
              `${row.code}: ${name} exits ${exitOf(name) ?? "with no known code"}, the row says ${row.exit}`,
          ),
      );
    expect(wrong).toEqual([]);
    expect(rows.filter((row) => row.exit !== "—" && row.classes.length === 0).map((row) => row.code)).toEqual(
      [],
    );
  });
});
