// What the library entries (`pullwarden`, `pullwarden/kube`) expose, read with the TypeScript compiler:
// a type that appears in the signature of something exported must be exported too ("forgotten exports", as
// api-extractor calls them), or users can hold such a value but never name its type.
import { join, relative } from "node:path";
import { build } from "esbuild";
import ts from "typescript";

/** Package names of the entries, as users import them, and their source files. */
export const ENTRIES = { pullwarden: "src/index.ts", "pullwarden/kube": "src/kube-entry.ts" } as const;

export interface LibraryExample {
  /** 1-based line of the code block in the Markdown file. */
  readonly line: number;
  readonly code: string;
  /** The **Output** block after it, when there is one. */
  readonly output: string | undefined;
}

/** Every ```ts block preceded by `<!-- library-example -->`, with the ```text block after `Output:` if any. */
export function libraryExamples(markdown: string): LibraryExample[] {
  const pattern =
    /<!-- library-example -->\n+```ts\n([\s\S]*?)```\n(?:\nOutput:\n\n```text\n([\s\S]*?)```\n)?/g;
  return [...markdown.matchAll(pattern)].map((match) => ({
    line: markdown.slice(0, match.index).split("\n").length + 2,
    code: match[1] as string,
    output: match[2],
  }));
}

/** The Markdown with each example's Output block replaced by what it printed (by example line). */
export function withOutputs(markdown: string, printed: ReadonlyMap<number, string>): string {
  let result = markdown;
  for (const example of libraryExamples(markdown).reverse()) {
    const output = printed.get(example.line);
    if (output === undefined || example.output === undefined) continue;
    const start = result.indexOf("```text\n", nthLineOffset(result, example.line)) + "```text\n".length;
    result = result.slice(0, start) + output + result.slice(start + example.output.length);
  }
  return result;
}

function nthLineOffset(text: string, line: number): number {
  let offset = 0;
  for (let i = 1; i < line; i++) offset = text.indexOf("\n", offset) + 1;
  return offset;
}

/**
 * A program over the repository's sources as the library build sees them, plus virtual files (the examples)
 * that import the entries by their package names.
 */
export function createApiProgram(
  root: string,
  virtualFiles: ReadonlyMap<string, string> = new Map(),
): ts.Program {
  const tsconfigPath = join(root, "tsconfig.build.json");
  const config = ts.getParsedCommandLineOfConfigFile(
    tsconfigPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
      },
    },
  );
  if (config === undefined) throw new Error(`cannot read ${tsconfigPath}`);
  const options: ts.CompilerOptions = {
    ...config.options,
    noEmit: true,
    rootDir: root,
    paths: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, [join(root, file)]])),
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (file) => virtualFiles.has(file) || fileExists.call(host, file);
  host.readFile = (file) => virtualFiles.get(file) ?? readFile.call(host, file);
  host.getSourceFile = (file, language, ...rest) => {
    const text = virtualFiles.get(file);
    return text === undefined
      ? getSourceFile.call(host, file, language, ...rest)
      : ts.createSourceFile(file, text, language, true);
  };
  host.getCurrentDirectory = () => root;
  const rootNames = [...Object.values(ENTRIES).map((file) => join(root, file)), ...virtualFiles.keys()];
  return ts.createProgram({ rootNames, options, host });
}

/** Type errors in the given files, one line each (`file:line:column: message`). */
export function typeErrors(program: ts.Program, files: Iterable<string>): string[] {
  const errors: string[] = [];
  for (const file of files) {
    const source = program.getSourceFile(file);
    if (source === undefined) throw new Error(`${file} is not in the program`);
    for (const diagnostic of [
      ...program.getSyntacticDiagnostics(source),
      ...program.getSemanticDiagnostics(source),
    ]) {
      const { line, character } = source.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ");
      errors.push(
        `${relative(program.getCurrentDirectory(), file)}:${line + 1}:${character + 1}: ${message}`,
      );
    }
  }
  return errors;
}

export interface ForgottenExport {
  /** The type (or value used in a type position) that no entry exports. */
  readonly name: string;
  /** Where it is declared, relative to the repository. */
  readonly file: string;
  /** An exported (or itself forgotten) name whose signature mentions it. */
  readonly usedBy: string;
}

/**
 * Types their module exports are the ones that need exporting; a module-private type (a base interface, a
 * local alias) is walked through instead, as its parts are what users name. Walks the public surface of each
 * entry: explicit type annotations through the syntax tree (so an alias is
 * seen by its name), inferred types (unannotated constants, return types) through the checker. Function bodies,
 * initializers and non-public class members are not part of the surface and are skipped.
 */
export function forgottenExports(program: ts.Program, entries: readonly string[]): ForgottenExport[] {
  const root = program.getCurrentDirectory();
  const sourceRoot = join(root, "src") + "/";
  const checker = program.getTypeChecker();

  const resolve = (symbol: ts.Symbol): ts.Symbol =>
    symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const isOurs = (symbol: ts.Symbol): boolean =>
    (symbol.declarations ?? []).some((declaration) =>
      declaration.getSourceFile().fileName.startsWith(sourceRoot),
    );

  const exported = new Map<ts.Symbol, string>();
  for (const entry of entries) {
    const source = program.getSourceFile(entry);
    const module = source && checker.getSymbolAtLocation(source);
    if (module === undefined) throw new Error(`${entry} is not a module of the program`);
    for (const symbol of checker.getExportsOfModule(module)) exported.set(resolve(symbol), symbol.name);
  }

  const forgotten = new Map<ts.Symbol, ForgottenExport>();
  const queue: Array<{ symbol: ts.Symbol; name: string }> = [...exported].map(([symbol, name]) => ({
    symbol,
    name,
  }));
  const walkedSymbols = new Set<ts.Symbol>();
  const walkedTypes = new Set<ts.Type>();

  const mention = (target: ts.Symbol | undefined, usedBy: string): void => {
    if (target === undefined) return;
    const symbol = resolve(target);
    if (symbol.flags & ts.SymbolFlags.TypeParameter || !isOurs(symbol)) return;
    // A member of an exported enum or namespace is reachable through its parent.
    const parent = (symbol as { parent?: ts.Symbol }).parent;
    if (parent !== undefined && exported.has(parent)) return;
    if (exported.has(symbol) || forgotten.has(symbol) || walkedSymbols.has(symbol)) return;
    const declaration = symbol.declarations?.[0];
    if (declaration !== undefined && !(ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Export)) {
      // A module-private helper type (a base interface, a local alias) is shorthand, not a name: what it is
      // made of must be nameable.
      queue.push({ symbol, name: usedBy });
      return;
    }
    forgotten.set(symbol, {
      name: symbol.name,
      file: declaration ? relative(root, declaration.getSourceFile().fileName) : "?",
      usedBy,
    });
    queue.push({ symbol, name: symbol.name });
  };

  const walkType = (type: ts.Type, usedBy: string): void => {
    if (walkedTypes.has(type)) return;
    walkedTypes.add(type);
    if (type.aliasSymbol !== undefined) {
      mention(type.aliasSymbol, usedBy);
      for (const argument of type.aliasTypeArguments ?? []) walkType(argument, usedBy);
      return;
    }
    if (type.isUnionOrIntersection()) {
      for (const member of type.types) walkType(member, usedBy);
      return;
    }
    if (!(type.flags & ts.TypeFlags.Object)) {
      if (type.flags & ts.TypeFlags.EnumLiteral) mention(type.getSymbol(), usedBy);
      return;
    }
    const object = type as ts.ObjectType;
    if (object.objectFlags & ts.ObjectFlags.Reference) {
      for (const argument of checker.getTypeArguments(object as ts.TypeReference)) walkType(argument, usedBy);
    }
    const symbol = type.getSymbol();
    if (symbol !== undefined && symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class)) {
      mention(symbol, usedBy);
      return;
    }
    // An anonymous type (object literal, function type): its members are part of the surface.
    for (const property of checker.getPropertiesOfType(type)) {
      walkType(checker.getTypeOfSymbol(property), usedBy);
    }
    for (const signature of [...type.getCallSignatures(), ...type.getConstructSignatures()]) {
      walkSignature(signature, usedBy);
    }
    for (const info of checker.getIndexInfosOfType(type)) walkType(info.type, usedBy);
  };

  const walkSignature = (signature: ts.Signature, usedBy: string): void => {
    for (const parameter of signature.getParameters()) walkType(checker.getTypeOfSymbol(parameter), usedBy);
    walkType(checker.getReturnTypeOfSignature(signature), usedBy);
  };

  const isPublicMember = (node: ts.Node): boolean => {
    if (!ts.canHaveModifiers(node)) return true;
    const modifiers = ts.getModifiers(node) ?? [];
    if (
      modifiers.some(
        (m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword,
      )
    )
      return false;
    const name = (node as { name?: ts.Node }).name;
    return name === undefined || !ts.isPrivateIdentifier(name);
  };

  const walkNode = (node: ts.Node, usedBy: string): void => {
    if (ts.isClassElement(node) && !isPublicMember(node)) return;
    if (ts.isTypeReferenceNode(node)) mention(checker.getSymbolAtLocation(node.typeName), usedBy);
    else if (ts.isExpressionWithTypeArguments(node))
      mention(checker.getSymbolAtLocation(node.expression), usedBy);
    // `typeof CONSTANT` (as in `type Kind = (typeof KINDS)[number]`) needs the alias's name, not the constant's.
    if (ts.isTypeQueryNode(node)) return;

    if (ts.isFunctionLike(node) && node.type === undefined && !ts.isConstructorDeclaration(node)) {
      const signature = checker.getSignatureFromDeclaration(node);
      if (signature !== undefined) walkType(checker.getReturnTypeOfSignature(signature), usedBy);
    }
    if (
      (ts.isVariableDeclaration(node) || ts.isPropertyDeclaration(node)) &&
      node.type === undefined &&
      node.initializer !== undefined
    ) {
      walkType(checker.getTypeAtLocation(node.name), usedBy);
    }
    ts.forEachChild(node, (child) => {
      // Bodies, default values and initializers are implementation, not surface.
      if (ts.isBlock(child)) return;
      if ((ts.isParameter(node) || ts.isPropertyDeclaration(node)) && child === node.initializer) return;
      if (ts.isVariableDeclaration(node) && child === node.initializer) return;
      if (ts.isArrowFunction(node) && child === node.body) return;
      walkNode(child, usedBy);
    });
  };

  while (queue.length > 0) {
    const { symbol, name } = queue.shift() as { symbol: ts.Symbol; name: string };
    if (walkedSymbols.has(symbol)) continue;
    walkedSymbols.add(symbol);
    for (const declaration of symbol.declarations ?? []) {
      if (!declaration.getSourceFile().fileName.startsWith(sourceRoot)) continue;
      walkNode(declaration, name);
    }
  }
  return [...forgotten.values()].sort((a, b) => a.name.localeCompare(b.name) || a.file.localeCompare(b.file));
}

/**
 * Bundles an example into `outFile` (ESM, for Node), with `pullwarden` and `pullwarden/kube` resolved to the
 * entries' sources; packages stay external and resolve from `outFile`'s folder, so put it under the repository.
 */
export async function bundleExample(root: string, code: string, outFile: string): Promise<void> {
  await build({
    stdin: { contents: code, loader: "ts", resolveDir: root, sourcefile: "example.ts" },
    outfile: outFile,
    bundle: true,
    packages: "external",
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "silent",
    plugins: [
      {
        name: "pullwarden-entries",
        setup(plugin) {
          plugin.onResolve({ filter: /^pullwarden(\/kube)?$/ }, (args) => ({
            path: join(root, ENTRIES[args.path as keyof typeof ENTRIES]),
          }));
        },
      },
    ],
  });
}
