/**
 * SARIF 2.1.0 (OASIS, https://docs.oasis-open.org/sarif/sarif/v2.1.0/) for GitHub code scanning and other
 * viewers. Findings from files carry a physical location (URI, line, column) so they show inline: files inside
 * the source root (the working directory, however the path was given: relative or absolute) are relative to
 * `%SRCROOT%`, declared in `originalUriBaseIds`; files outside it keep an absolute `file://` URI. Every finding
 * carries a logical location (the object) and a partial fingerprint that depends only on the rule, the object
 * and the subject, so a finding keeps its identity across runs and line moves.
 */
import { isAbsolute, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import type { AuditResult, Finding, Location, RuleMeta, Severity } from "../types.js";
import { docsUrl, objectText } from "./shared.js";
import type { ToolInfo } from "./json.js";

export const SARIF_SCHEMA =
  "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

const LEVEL: Readonly<Record<Severity, "error" | "warning" | "note">> = {
  error: "error",
  warning: "warning",
  info: "note",
};

/** GitHub maps this to its own severity scale for the security tab. */
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = { error: "8.0", warning: "5.0", info: "2.0" };

export interface SarifOptions {
  /**
   * The directory `%SRCROOT%` stands for: where relative input paths were resolved (the CLI's working
   * directory). Without it, relative paths are taken as relative to `%SRCROOT%` and absolute ones stay absolute.
   */
  readonly sourceRoot?: string;
}

const SRCROOT = "%SRCROOT%";

/** A relative path as a URI reference: forward slashes, each segment percent-encoded. */
export function fileUri(file: string): string {
  const path = file.replace(/\\/g, "/").replace(/^\.\//, "");
  return path
    .split("/")
    .map((segment) => encodeURIComponent(segment))
    .join("/");
}

/**
 * Where an input file is, for SARIF: relative to `%SRCROOT%` when it is inside the source root, else an absolute
 * `file://` URI. Undefined for stdin and the cluster, which have no file.
 */
export function artifactLocation(
  file: string,
  options: SarifOptions,
): { uri: string; uriBaseId?: string } | undefined {
  if (file === "stdin" || file === "cluster") return undefined;
  const root = options.sourceRoot;
  if (root === undefined) {
    return isAbsolute(file) ? { uri: pathToFileURL(file).href } : { uri: fileUri(file), uriBaseId: SRCROOT };
  }
  const absolute = resolve(root, file);
  const inside = relative(root, absolute);
  if (inside === "" || inside === ".." || inside.startsWith(`..${sep}`) || isAbsolute(inside))
    return { uri: pathToFileURL(absolute).href };
  return { uri: fileUri(inside), uriBaseId: SRCROOT };
}

function physical(location: Location, options: SarifOptions): Record<string, unknown> | undefined {
  const origin = location.origin;
  const artifact = origin ? artifactLocation(origin.file, options) : undefined;
  if (!origin || !artifact) return undefined;
  const line = location.line ?? origin.line;
  return {
    artifactLocation: artifact,
    region: {
      startLine: line,
      ...(location.column !== undefined && location.line !== undefined
        ? { startColumn: location.column }
        : {}),
    },
  };
}

function logical(location: Location): Record<string, unknown> {
  const object = location.object;
  return {
    name: object.name,
    fullyQualifiedName: [object.namespace, object.kind, object.name]
      .filter((part) => part !== undefined)
      .join("/"),
    kind: "resource",
  };
}

function sarifLocation(location: Location, options: SarifOptions): Record<string, unknown> {
  const where = physical(location, options);
  return { ...(where ? { physicalLocation: where } : {}), logicalLocations: [logical(location)] };
}

function ruleDescriptor(rule: RuleMeta): Record<string, unknown> {
  return {
    id: rule.id,
    name: rule.name,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.explanation },
    help: {
      text: `${rule.explanation}\n\nFix: ${rule.fix}`,
      markdown: `${rule.explanation}\n\n**Fix:** ${rule.fix}\n\n[Documentation](${docsUrl(rule.id)})`,
    },
    helpUri: docsUrl(rule.id),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      tags: ["security", "kubernetes", ...rule.tags],
      "security-severity": SECURITY_SEVERITY[rule.severity],
    },
  };
}

function result(finding: Finding, ruleIndex: number, options: SarifOptions): Record<string, unknown> {
  const pullPath = finding.pullPath ? ` Pull path: ${finding.pullPath.summary}.` : "";
  const text = `${objectText(finding.location)}: ${finding.message}${finding.message.includes(finding.pullPath?.summary ?? "\u0000") ? "" : pullPath} Fix: ${finding.fix}`;
  const suppression = finding.suppressed;
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text },
    locations: [sarifLocation(finding.location, options)],
    ...(finding.related && finding.related.length > 0
      ? {
          relatedLocations: finding.related.map((location, id) => ({
            id,
            ...sarifLocation(location, options),
          })),
        }
      : {}),
    partialFingerprints: { "pullwarden/v1": finding.fingerprint },
    ...(suppression
      ? {
          suppressions: [
            {
              kind: suppression.kind === "annotation" ? "inSource" : "external",
              status: "accepted",
              justification: suppression.reason + (suppression.until ? ` (until ${suppression.until})` : ""),
            },
          ],
        }
      : {}),
    properties: {
      object: objectText(finding.location),
      ...(finding.image !== undefined ? { image: finding.image } : {}),
      ...(finding.pullPath ? { pullPath: finding.pullPath.summary } : {}),
      ...(finding.properties ?? {}),
    },
  };
}

/** The source root as the absolute directory URI `originalUriBaseIds` needs (it must end with a slash). */
function directoryUri(root: string): string {
  const href = pathToFileURL(root).href;
  return href.endsWith("/") ? href : `${href}/`;
}

export function buildSarif(
  audit: AuditResult,
  tool: ToolInfo,
  options: SarifOptions = {},
): Record<string, unknown> {
  const index = new Map(audit.rules.map((rule, position) => [rule.id, position]));
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            semanticVersion: tool.version,
            informationUri: "https://github.com/pullwarden/pullwarden",
            rules: audit.rules.map(ruleDescriptor),
          },
        },
        automationDetails: { id: `pullwarden-audit/${audit.mode}/` },
        ...(options.sourceRoot !== undefined
          ? { originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(options.sourceRoot) } } }
          : {}),
        invocations: [
          {
            executionSuccessful: !audit.inputProblems.some((problem) => problem.severity === "error"),
            toolExecutionNotifications: audit.inputProblems.map((problem) => {
              const artifact = artifactLocation(problem.source, options);
              return {
                level: problem.severity === "error" ? "error" : "warning",
                message: { text: problem.message },
                ...(artifact
                  ? {
                      locations: [
                        {
                          physicalLocation: {
                            artifactLocation: artifact,
                            ...(problem.line !== undefined ? { region: { startLine: problem.line } } : {}),
                          },
                        },
                      ],
                    }
                  : {}),
              };
            }),
          },
        ],
        columnKind: "utf16CodeUnits",
        results: audit.findings.map((finding) => result(finding, index.get(finding.ruleId) ?? 0, options)),
      },
    ],
  };
}
