/**
 * The audit config file (`--config`, default `.pullwarden-audit.yaml` in the working directory):
 *
 *   apiVersion: pullwarden.io/v1alpha1
 *   kind: AuditConfig
 *   ignore:                       # suppressions; reason required, until optional (YYYY-MM-DD, inclusive)
 *     - rule: PW105               # id, name, or * for every rule
 *       namespace: legacy-*       # optional globs (* and ?) on the finding's object
 *       kind: Deployment
 *       name: web-*
 *       image: docker.io/library/*
 *       reason: mirrored publicly
 *       until: 2026-12-31
 *   privateRegistries: [harbor.example.com, ghcr.io/acme]
 *   nodeIdentities:
 *     - matchImages: ["*.azurecr.io"]
 *       label: AKS kubelet identity
 *   disabledRules: [PW303]
 *   failOn: warning
 *
 * Parse errors name the file and line. Pure: the caller reads the file.
 */
import { LineCounter, isMap, isSeq, parseDocument } from "yaml";
import { InputError } from "../errors.js";
import { findRule } from "./rules/index.js";
import { isValidDate } from "./suppress.js";
import type { NodeIdentity, Severity, SuppressionRule } from "./types.js";

export interface AuditConfig {
  readonly suppressions: readonly SuppressionRule[];
  readonly privateRegistries: readonly string[];
  readonly nodeIdentities: readonly NodeIdentity[];
  readonly disabledRules: readonly string[];
  readonly failOn?: Severity | "never";
}

const FAIL_ON = new Set(["error", "warning", "info", "never"]);
const IGNORE_KEYS = new Set(["rule", "namespace", "kind", "name", "image", "reason", "until"]);
const TOP_KEYS = new Set([
  "apiVersion",
  "kind",
  "ignore",
  "privateRegistries",
  "nodeIdentities",
  "disabledRules",
  "failOn",
]);

export function parseAuditConfig(text: string, source: string): AuditConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const lineAt = (node: unknown): number => {
    const range = (node as { range?: number[] } | null)?.range;
    return range ? lineCounter.linePos(range[0] ?? 0).line : 1;
  };
  const fail = (line: number, message: string): never => {
    throw new InputError("E_AUDIT_CONFIG", `${source}:${line}: ${message}`, { source });
  };
  const syntax = document.errors[0];
  if (syntax)
    fail(
      lineCounter.linePos(syntax.pos[0]).line,
      (syntax.message.split("\n")[0] ?? "syntax error").replace(/ at line \d+.*$/, ""),
    );
  let root: unknown;
  try {
    root = document.toJS({ maxAliasCount: 50 });
  } catch {
    fail(1, "cannot read the config (too many aliases?)");
  }
  if (root === null || root === undefined)
    return { suppressions: [], privateRegistries: [], nodeIdentities: [], disabledRules: [] };
  if (typeof root !== "object" || Array.isArray(root))
    fail(1, "expected a map (apiVersion: pullwarden.io/v1alpha1, kind: AuditConfig)");
  const config = root as Record<string, unknown>;
  const contents = document.contents;
  const nodeOf = (key: string): unknown => (isMap(contents) ? contents.get(key, true) : undefined);
  for (const key of Object.keys(config)) {
    if (!TOP_KEYS.has(key))
      fail(
        lineAt(nodeOf(key)),
        `unknown field ${JSON.stringify(key.slice(0, 40))} (known: ${[...TOP_KEYS].join(", ")})`,
      );
  }
  if (config["kind"] !== undefined && config["kind"] !== "AuditConfig")
    fail(lineAt(nodeOf("kind")), "kind must be AuditConfig");

  const strings = (key: string): string[] => {
    const value = config[key];
    if (value === undefined) return [];
    if (!Array.isArray(value) || !value.every((item) => typeof item === "string"))
      fail(lineAt(nodeOf(key)), `${key} must be a list of strings`);
    return value as string[];
  };

  const suppressions: SuppressionRule[] = [];
  const ignoreNode = nodeOf("ignore");
  const ignore = config["ignore"];
  if (ignore !== undefined) {
    if (!Array.isArray(ignore)) fail(lineAt(ignoreNode), "ignore must be a list");
    (ignore as unknown[]).forEach((entry, index) => {
      const node = isSeq(ignoreNode) ? ignoreNode.items[index] : undefined;
      const line = lineAt(node);
      if (typeof entry !== "object" || entry === null || Array.isArray(entry))
        fail(line, `ignore[${index}] must be a map`);
      const fields = entry as Record<string, unknown>;
      for (const key of Object.keys(fields))
        if (!IGNORE_KEYS.has(key))
          fail(line, `ignore[${index}]: unknown field ${JSON.stringify(key.slice(0, 40))}`);
      for (const [key, value] of Object.entries(fields)) {
        if (key === "until" && value instanceof Date) continue;
        if (typeof value !== "string") fail(line, `ignore[${index}].${key} must be a string`);
      }
      const rule = fields["rule"] as string | undefined;
      if (!rule) fail(line, `ignore[${index}]: rule is required (an id such as PW105, a name, or *)`);
      if (rule !== "*" && !findRule(rule as string))
        fail(line, `ignore[${index}]: unknown rule ${JSON.stringify((rule as string).slice(0, 40))}`);
      const reason = ((fields["reason"] as string | undefined) ?? "").trim();
      if (!reason) fail(line, `ignore[${index}]: reason is required`);
      const rawUntil = fields["until"];
      const until =
        rawUntil instanceof Date ? rawUntil.toISOString().slice(0, 10) : (rawUntil as string | undefined);
      if (until !== undefined && !isValidDate(until))
        fail(line, `ignore[${index}]: until must be a date (YYYY-MM-DD)`);
      suppressions.push({
        rule: rule === "*" ? "*" : (findRule(rule as string)?.id ?? (rule as string)),
        reason,
        ...(until !== undefined ? { until } : {}),
        ...(fields["namespace"] !== undefined ? { namespace: fields["namespace"] as string } : {}),
        ...(fields["kind"] !== undefined ? { kind: fields["kind"] as string } : {}),
        ...(fields["name"] !== undefined ? { name: fields["name"] as string } : {}),
        ...(fields["image"] !== undefined ? { image: fields["image"] as string } : {}),
        source: `${source}:${line}`,
      });
    });
  }

  const nodeIdentities: NodeIdentity[] = [];
  const identities = config["nodeIdentities"];
  if (identities !== undefined) {
    const node = nodeOf("nodeIdentities");
    if (!Array.isArray(identities)) fail(lineAt(node), "nodeIdentities must be a list");
    (identities as unknown[]).forEach((entry, index) => {
      const line = lineAt(isSeq(node) ? node.items[index] : node);
      const fields = (typeof entry === "object" && entry !== null ? entry : {}) as Record<string, unknown>;
      const matchImages = fields["matchImages"];
      if (
        !Array.isArray(matchImages) ||
        matchImages.length === 0 ||
        !matchImages.every((item) => typeof item === "string")
      )
        fail(line, `nodeIdentities[${index}].matchImages must be a non-empty list of image patterns`);
      nodeIdentities.push({
        matchImages: matchImages as string[],
        label:
          typeof fields["label"] === "string" ? fields["label"] : "node credentials declared in the config",
        source: `${source}:${line}`,
      });
    });
  }

  const disabledRules = strings("disabledRules");
  for (const rule of disabledRules)
    if (!findRule(rule))
      fail(
        lineAt(nodeOf("disabledRules")),
        `disabledRules: unknown rule ${JSON.stringify(rule.slice(0, 40))}`,
      );
  const failOn = config["failOn"];
  if (failOn !== undefined && (typeof failOn !== "string" || !FAIL_ON.has(failOn)))
    fail(lineAt(nodeOf("failOn")), "failOn must be error, warning, info or never");
  return {
    suppressions,
    privateRegistries: strings("privateRegistries"),
    nodeIdentities,
    disabledRules,
    ...(failOn !== undefined ? { failOn: failOn as Severity | "never" } : {}),
  };
}
