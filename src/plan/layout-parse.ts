/**
 * Layout text → a validated `Layout`. Three passes, each reporting the field and its line and column:
 * 1. YAML through `manifest.parseManifestDocuments` (syntax, duplicate keys, nesting, anchor bombs);
 * 2. the published JSON Schema (ajv), with ajv's `instancePath` mapped back to YAML node positions;
 * 3. rules a schema cannot say: references between sections, duplicates, and whether each registry can work
 *    with the credential kind declared for it (judged by `tokens`, as `secret inspect` judges real tokens).
 * Pure: text in, value or `LayoutError` out.
 */
import { Ajv } from "ajv";
import type { ErrorObject, ValidateFunction } from "ajv";
import type { CredentialSource } from "../desired/index.js";
import { InputError } from "../errors.js";
import { classifyRegistryHost } from "../hosts/index.js";
import type { RegistryHostInfo } from "../hosts/index.js";
import { parseManifestDocuments } from "../manifest/index.js";
import { parseNormalizedReference } from "../reference/index.js";
import { editDistance, plural } from "../text/index.js";
import { assessDeclaredCredential, expiryInstant } from "./credentials.js";
import { LayoutError } from "./layout-errors.js";
import { explainMismatch, formatOfPattern } from "./layout-formats.js";
import type { LayoutProblem } from "./layout-errors.js";
import { LAYOUT_API_VERSION, LAYOUT_KIND, LAYOUT_SCHEMA } from "./layout-schema.js";
import type {
  ClusterDecl,
  CredentialDecl,
  CredentialType,
  Layout,
  NamespaceDecl,
  RegistryDecl,
  WorkloadDecl,
  WorkloadKind,
} from "./layout-types.js";
import {
  DOCUMENT_FIELD,
  LocatedDocument,
  findAliasBomb,
  formatFieldPath,
  parseInstancePath,
} from "./yaml-positions.js";
import type { PathSegment } from "./yaml-positions.js";

/** A layout is a few kilobytes; anything over this is refused before parsing. */
export const MAX_LAYOUT_BYTES = 1024 * 1024;
/** Problems reported at most; the rest are counted. */
const MAX_PROBLEMS = 20;

export interface ParseLayoutOptions {
  /** Name of the input in messages (a path, or `-` for stdin). */
  readonly source: string;
  /** Clock for credential expiry checks. */
  readonly now: Date;
}

let validator: ValidateFunction | undefined;
function schemaValidator(): ValidateFunction {
  validator ??= new Ajv({
    allErrors: true,
    verbose: true,
    strict: true,
    strictTypes: false,
    strictRequired: false,
    allowUnionTypes: true,
    logger: false,
  }).compile(LAYOUT_SCHEMA);
  return validator;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

class Problems {
  readonly list: LayoutProblem[] = [];
  constructor(readonly located: LocatedDocument) {}

  at(segments: readonly PathSegment[], message: string, hint?: string, onKey = false): void {
    const position = onKey ? this.located.keyPosition(segments) : this.located.valuePosition(segments);
    const problem: LayoutProblem = {
      field: formatFieldPath(segments),
      line: position.line,
      column: position.column,
      message,
      ...(hint !== undefined ? { hint } : {}),
    };
    if (!this.list.some((p) => p.field === problem.field && p.message === problem.message))
      this.list.push(problem);
  }
}

function byteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code >= 0xd800 && code < 0xdc00 ? 2 : 3;
  }
  return bytes;
}

/** Parses and validates a layout. Throws `LayoutError` (all problems, with field and line) or `InputError`. */
export function parseLayout(text: string, options: ParseLayoutOptions): Layout {
  const { source } = options;
  const size = byteLength(text);
  if (size > MAX_LAYOUT_BYTES) {
    throw new InputError(
      "E_INPUT_TOO_LARGE",
      `${source}: the layout is ${(size / (1024 * 1024)).toFixed(1)} MiB, over the 1.0 MiB limit for layouts`,
      { source, hint: "a layout lists a cluster, its registries and namespaces: a few kilobytes" },
    );
  }
  const object = readYaml(text, source);
  const located = LocatedDocument.parse(text, object.documentIndex);
  const problems = new Problems(located);

  const validate = schemaValidator();
  if (!validate(object.value)) {
    for (const error of relevantErrors(validate.errors ?? [])) schemaProblem(error, object.value, problems);
    throw tooMany(source, problems.list);
  }
  const layout = buildLayout(object.value as JsonObject, problems, options.now);
  if (problems.list.length > 0) throw tooMany(source, problems.list);
  return layout;
}

function tooMany(source: string, problems: LayoutProblem[]): LayoutError {
  if (problems.length <= MAX_PROBLEMS) return new LayoutError(source, problems);
  const kept = [...problems].sort((a, b) => a.line - b.line || a.column - b.column).slice(0, MAX_PROBLEMS);
  return new LayoutError(source, kept);
}

function readYaml(text: string, source: string): { value: Json; documentIndex: number } {
  let documents;
  try {
    documents = parseManifestDocuments(text, source);
  } catch (error) {
    if (error instanceof InputError && /alias/i.test(String((error.cause as Error | undefined)?.message))) {
      const bomb = findAliasBomb(text);
      const where = bomb ?? { path: [], position: { line: 1, column: 1 }, anchor: "?" };
      throw new LayoutError(source, [
        {
          field: formatFieldPath(where.path),
          line: where.position.line,
          column: where.position.column,
          message: `alias *${where.anchor} expands the document past the allowed size (a YAML "anchor bomb"); refused`,
          hint: "a layout needs no deeply repeated anchors: write the values out",
        },
      ]);
    }
    // Syntax and nesting errors carry a position: report them like every other layout problem.
    const position = error instanceof InputError ? error.position : undefined;
    if (error instanceof InputError && position?.line !== undefined) {
      const prefix = `${source}:${position.line}:${position.column ?? 1}: `;
      throw new LayoutError(source, [
        {
          field: DOCUMENT_FIELD,
          line: position.line,
          column: position.column ?? 1,
          message: error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message,
        },
      ]);
    }
    throw error;
  }
  if (documents.length === 0) {
    throw new LayoutError(source, [
      {
        field: DOCUMENT_FIELD,
        line: 1,
        column: 1,
        message: "the layout is empty",
        hint: "run `pullwarden init`",
      },
    ]);
  }
  if (documents.length > 1) {
    const second = documents[1] as (typeof documents)[number];
    throw new LayoutError(source, [
      {
        field: DOCUMENT_FIELD,
        line: second.line,
        column: 1,
        message: "a layout is one YAML document; a second one starts here",
      },
    ]);
  }
  const only = documents[0] as (typeof documents)[number];
  return { value: only.object as Json, documentIndex: only.documentIndex };
}

// ---------------------------------------------------------------------------------------------------------
// Schema errors → problems

/** Drops ajv's wrapper errors (`if`) and the branch noise of `oneOf` over `required` alternatives. */
function relevantErrors(errors: ErrorObject[]): ErrorObject[] {
  return errors.filter((error) => {
    if (error.keyword === "if") return false;
    // The registry's host/acr/ecr/ghcr alternatives: report the oneOf itself, not each `required` branch.
    if (error.keyword === "required" && /\/oneOf\/\d+\/required$/.test(error.schemaPath)) return false;
    return true;
  });
}

function describeValue(value: unknown): string {
  if (typeof value === "string")
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return String(value);
}

/** "The cluster's name" → "the cluster's name"; "AKS settings" stays. */
function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text[0]?.toLowerCase() + text.slice(1) : text;
}

function joinList(values: readonly unknown[], conjunction: "or" | "and"): string {
  const texts = values.map((v) => String(v));
  if (texts.length <= 1) return texts.join("");
  return `${texts.slice(0, -1).join(", ")} ${conjunction} ${texts[texts.length - 1]}`;
}

function orList(values: readonly unknown[]): string {
  return joinList(values, "or");
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase(), limit);
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

const PROVIDER_FIELDS: Record<string, string> = {
  aks: "aks.resourceGroup",
  eks: "eks.region, eks.accountId and eks.nodeRole",
  gke: "gke.project",
};

function schemaProblem(error: ErrorObject, root: Json, problems: Problems): void {
  const path = parseInstancePath(error.instancePath);
  const parentSchema = (error.parentSchema ?? {}) as { description?: string; properties?: object };
  switch (error.keyword) {
    case "required": {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      const last = path[path.length - 1];
      if (last === "cluster" && missing in PROVIDER_FIELDS) {
        problems.at(
          [...path, missing],
          `missing: provider ${missing} needs ${PROVIDER_FIELDS[missing]}`,
          `add a cluster.${missing} section; \`pullwarden init --provider ${missing}\` shows one`,
        );
      } else {
        // Say what the field is for: the schema's description of it, when it has one.
        const described = (parentSchema.properties as Record<string, { description?: string }> | undefined)?.[
          missing
        ]?.description;
        problems.at(
          [...path, missing],
          `required field is missing${described ? ` (${lowerFirst(described.replace(/\.$/, ""))})` : ""}`,
        );
      }
      return;
    }
    case "additionalProperties": {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys(parentSchema.properties ?? {});
      const guess = closest(extra, known);
      problems.at(
        [...path, extra],
        `unknown field${guess ? ` (did you mean "${guess}"?)` : ""}; expected ${orList(known)}`,
        undefined,
        true,
      );
      return;
    }
    case "enum": {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
      const last = path[path.length - 1];
      const what = last === "provider" ? "unknown provider" : "unknown value";
      const guess = typeof error.data === "string" ? closest(error.data, allowed.map(String)) : undefined;
      problems.at(
        path,
        `${what} ${describeValue(error.data)}${guess ? ` (did you mean "${guess}"?)` : ""}; expected ${orList(allowed)}`,
      );
      return;
    }
    case "const":
      problems.at(
        path,
        `must be ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}, not ${describeValue(error.data)}`,
      );
      return;
    case "type": {
      const expected = (error.params as { type: string | string[] }).type;
      const wanted = Array.isArray(expected) ? orList(expected) : String(expected).split(",").join(" or ");
      const quote =
        typeof error.data === "number" && /string/.test(wanted)
          ? ` (quote it: "${String(error.data)}"; YAML reads unquoted digits as a number)`
          : "";
      problems.at(path, `must be a ${wanted}, not ${describeValue(error.data)}${quote}`);
      return;
    }
    case "pattern": {
      const pattern = (error.params as { pattern: string }).pattern;
      const format = formatOfPattern(pattern);
      if (!format || typeof error.data !== "string") {
        problems.at(path, `${describeValue(error.data)} does not match ${pattern}`);
        return;
      }
      const { message, fixed } = explainMismatch(format, error.data, describeValue(error.data));
      problems.at(path, message, fixed !== undefined ? `use ${JSON.stringify(fixed)}` : undefined);
      return;
    }
    case "minItems":
      problems.at(
        path,
        `must list at least ${plural((error.params as { limit: number }).limit, "entry", "entries")}`,
      );
      return;
    case "uniqueItems": {
      const { i, j } = error.params as { i: number; j: number };
      const later = Math.max(i, j);
      const value = Array.isArray(error.data) ? (error.data as Json[])[later] : undefined;
      problems.at([...path, later], `${describeValue(value)} is listed twice`);
      return;
    }
    case "oneOf": {
      const passing = (error.params as { passingSchemas: number[] | null }).passingSchemas;
      const entry = valueAt(root, path);
      const given = ["host", "acr", "ecr", "ghcr"].filter(
        (key) => entry && typeof entry === "object" && !Array.isArray(entry) && key in entry,
      );
      problems.at(
        path,
        passing === null
          ? "say where the registry is: give one of host, acr, ecr or ghcr"
          : `give only one of host, acr, ecr or ghcr (found ${joinList(given, "and")})`,
      );
      return;
    }
    case "minLength":
      problems.at(path, "must not be empty");
      return;
    case "maxLength": {
      const limit = (error.params as { limit: number }).limit;
      const value = typeof error.data === "string" ? error.data : "";
      // A shortened value that is still valid, where the field's format can derive one (DNS names can).
      const format = formatOfPattern((parentSchema as { pattern?: string }).pattern ?? "");
      const fixed = format?.fix?.(value.slice(0, limit));
      problems.at(
        path,
        `${describeValue(error.data)} is ${value.length} characters long, over the limit of ${limit}`,
        fixed !== undefined && fixed.length <= limit
          ? `use at most ${limit}, e.g. ${JSON.stringify(fixed)}`
          : undefined,
      );
      return;
    }
    default:
      problems.at(path, error.message ?? "is not valid");
  }
}

function valueAt(root: Json, path: readonly PathSegment[]): Json | undefined {
  let node: Json | undefined = root;
  for (const segment of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, Json>)[String(segment)];
  }
  return node;
}

// ---------------------------------------------------------------------------------------------------------
// Schema-valid JSON → Layout, with the cross-field rules

function str(object: JsonObject, key: string): string | undefined {
  const value = object[key];
  return typeof value === "string" ? value : undefined;
}

function buildCluster(raw: JsonObject, problems: Problems): ClusterDecl {
  const provider = raw["provider"] as ClusterDecl["provider"];
  for (const block of ["aks", "eks", "gke"] as const) {
    if (raw[block] !== undefined && block !== provider) {
      problems.at(
        ["cluster", block],
        `${block} settings given, but cluster.provider is ${provider}`,
        `remove cluster.${block}, or set cluster.provider: ${block}`,
        true,
      );
    }
  }
  const cluster: {
    -readonly [K in keyof ClusterDecl]: ClusterDecl[K];
  } = {
    provider,
    name: raw["name"] as string,
    nodesConfigurable: raw["nodesConfigurable"] === true,
    credentialProvider: raw["credentialProvider"] === "pullwarden" ? "pullwarden" : "cloud",
    rotation: raw["rotation"] === "controller" ? "controller" : "script",
  };
  if (cluster.credentialProvider === "pullwarden" && !cluster.nodesConfigurable) {
    problems.at(
      ["cluster", "credentialProvider"],
      "credentialProvider: pullwarden runs on every node, but cluster.nodesConfigurable is not true",
      "set cluster.nodesConfigurable: true if you can change kubelet flags and files on every node; otherwise remove credentialProvider",
    );
  }
  const aks = raw["aks"] as JsonObject | undefined;
  if (provider === "aks" && aks) {
    const subscription = str(aks, "subscription");
    const objectId = str(aks, "kubeletIdentityObjectId");
    cluster.aks = {
      resourceGroup: aks["resourceGroup"] as string,
      ...(subscription !== undefined ? { subscription } : {}),
      acrAccess: (str(aks, "acrAccess") as "attach-acr" | "role-assignment" | undefined) ?? "attach-acr",
      ...(objectId !== undefined ? { kubeletIdentityObjectId: objectId.toLowerCase() } : {}),
    };
  }
  const eks = raw["eks"] as JsonObject | undefined;
  if (provider === "eks" && eks) {
    const nodeRole = eks["nodeRole"] as string;
    cluster.eks = {
      region: eks["region"] as string,
      accountId: eks["accountId"] as string,
      nodeRole,
      nodeRoleName: nodeRole.split("/").pop() ?? nodeRole,
      ecrPolicy: (str(eks, "ecrPolicy") as "pull-only" | "read-only" | undefined) ?? "pull-only",
    };
    const arnAccount = /^arn:[^:]+:iam::(\d{12}):/.exec(nodeRole)?.[1];
    if (arnAccount !== undefined && arnAccount !== cluster.eks.accountId) {
      problems.at(
        ["cluster", "eks", "nodeRole"],
        `the role ARN is in account ${arnAccount}, but cluster.eks.accountId is ${cluster.eks.accountId}`,
      );
    }
  }
  const gke = raw["gke"] as JsonObject | undefined;
  if (provider === "gke" && gke) {
    const sa = str(gke, "nodeServiceAccount");
    cluster.gke = {
      project: gke["project"] as string,
      ...(sa !== undefined ? { nodeServiceAccount: sa } : {}),
    };
  }
  return cluster;
}

/** The ECR endpoint for an account and region, as AWS names it (partition from the region prefix). */
export function ecrHost(accountId: string, region: string, fips: boolean, dualStack: boolean): string {
  let suffix: string;
  if (region.startsWith("cn-")) suffix = dualStack ? "on.amazonwebservices.com.cn" : "amazonaws.com.cn";
  else if (region.startsWith("eusc-")) suffix = "amazonaws.eu";
  else if (region.startsWith("us-isob-")) suffix = "sc2s.sgov.gov";
  else if (region.startsWith("us-isof-")) suffix = "csp.hci.ic.gov";
  else if (region.startsWith("us-iso-")) suffix = "c2s.ic.gov";
  else if (region.startsWith("eu-isoe-")) suffix = "cloud.adc-e.uk";
  else suffix = dualStack ? "on.aws" : "amazonaws.com";
  const service = `${dualStack ? "dkr-ecr" : "dkr.ecr"}${fips ? "-fips" : ""}`;
  return `${accountId}.${service}.${region}.${suffix}`;
}

const ACR_CLOUD_SUFFIX: Record<string, string> = {
  public: "azurecr.io",
  usgov: "azurecr.us",
  china: "azurecr.cn",
};

function registryHost(raw: JsonObject): { host: string; resourceId?: string; owner?: string } {
  if (typeof raw["host"] === "string") return { host: raw["host"].toLowerCase() };
  const acr = raw["acr"];
  if (typeof acr === "string") return { host: `${acr.toLowerCase()}.azurecr.io` };
  if (acr && typeof acr === "object" && !Array.isArray(acr)) {
    const name = (acr["name"] as string).toLowerCase();
    const suffix = ACR_CLOUD_SUFFIX[str(acr, "cloud") ?? "public"] ?? "azurecr.io";
    const resourceId = str(acr, "resourceId");
    return { host: `${name}.${suffix}`, ...(resourceId !== undefined ? { resourceId } : {}) };
  }
  const ecr = raw["ecr"];
  if (ecr && typeof ecr === "object" && !Array.isArray(ecr)) {
    return {
      host: ecrHost(
        ecr["accountId"] as string,
        ecr["region"] as string,
        ecr["fips"] === true,
        ecr["dualStack"] === true,
      ),
    };
  }
  return { host: "ghcr.io", owner: raw["ghcr"] as string };
}

/** Registry kinds whose pulls need a stored credential (outside the cluster's own cloud identity). */
function needsStaticCredential(info: RegistryHostInfo, cluster: ClusterDecl): boolean {
  switch (info.kind) {
    case "ghcr":
    case "dockerhub":
    case "generic":
      return true;
    case "gcr":
      return cluster.provider !== "gke";
    default:
      return false;
  }
}

function buildCredential(
  raw: JsonObject,
  path: PathSegment[],
  info: RegistryHostInfo,
  cluster: ClusterDecl,
  problems: Problems,
  now: Date,
): CredentialDecl {
  const type = raw["type"] as CredentialType;
  const username = str(raw, "username");
  const expires = str(raw, "expires");
  const sources = (["passwordEnv", "passwordFile", "dockerConfig"] as const).filter(
    (key) => raw[key] !== undefined && raw[key] !== false,
  );
  if (sources.length > 1) {
    problems.at(
      [...path, sources[1] as string],
      `give only one of passwordEnv, passwordFile or dockerConfig`,
    );
  }
  let source: CredentialSource | undefined;
  const host = info.host;
  if (sources[0] === "passwordEnv" || sources[0] === "passwordFile") {
    if (username === undefined) {
      problems.at([...path, "username"], `required with ${sources[0]}: the registry needs a username`);
    }
    source =
      sources[0] === "passwordEnv"
        ? { kind: "env", server: host, username: username ?? "", passwordEnv: raw["passwordEnv"] as string }
        : {
            kind: "password-file",
            server: host,
            username: username ?? "",
            passwordFile: raw["passwordFile"] as string,
          };
  } else if (sources[0] === "dockerConfig") {
    const configPath = raw["dockerConfig"];
    source = {
      kind: "docker-config",
      ...(typeof configPath === "string" ? { path: configPath } : {}),
      registries: [host],
    };
  } else if (needsStaticCredential(info, cluster)) {
    problems.at(
      path,
      "say where the password comes from: give passwordEnv, passwordFile or dockerConfig",
      "the plan's scripts read it there when they create the secret; the value never goes into a file",
    );
  }

  if (expires !== undefined && expiryInstant(expires) === undefined) {
    problems.at([...path, "expires"], `${JSON.stringify(expires)} is not a calendar date (YYYY-MM-DD)`);
  }
  if (info.kind === "ecr") {
    problems.at(
      path,
      "ECR has no long-lived pull credential: remove it; the plan uses the node identity, a kubelet credential provider, or a 12-hour token it rotates",
      undefined,
      true,
    );
  } else {
    // An expiry date in the past is the plan's warning, not an error: the layout may lag a renewed token.
    const verdict = assessDeclaredCredential(
      info,
      { type, ...(username !== undefined ? { username } : {}) },
      now,
    );
    if (verdict.verdict === "rejected") {
      problems.at([...path, "type"], `${type} cannot pull from ${host}: ${verdict.reason}`, verdict.fix);
    }
  }
  return {
    type,
    ...(username !== undefined ? { username } : {}),
    ...(source !== undefined ? { source } : {}),
    ...(expires !== undefined ? { expires } : {}),
  };
}

function buildRegistries(
  raws: JsonObject[],
  cluster: ClusterDecl,
  problems: Problems,
  now: Date,
): RegistryDecl[] {
  const byName = new Map<string, number>();
  const byHost = new Map<string, number>();
  const bySecret = new Map<string, number>();
  return raws.map((raw, index) => {
    const path: PathSegment[] = ["registries", index];
    const name = raw["name"] as string;
    const { host, resourceId, owner } = registryHost(raw);
    const info = classifyRegistryHost(host);
    const secretName = str(raw, "secretName") ?? `${name}-pull`;

    const seen = (map: Map<string, number>, key: string, field: string, what: string): void => {
      const first = map.get(key);
      if (first === undefined) map.set(key, index);
      else
        problems.at([...path, field], `${what} ${JSON.stringify(key)} is also used by registries[${first}]`);
    };
    seen(byName, name, "name", "name");
    seen(
      byHost,
      info.host,
      raw["host"] !== undefined
        ? "host"
        : (Object.keys(raw).find((k) => ["acr", "ecr", "ghcr"].includes(k)) ?? "name"),
      "host",
    );
    seen(bySecret, secretName, raw["secretName"] !== undefined ? "secretName" : "name", "secret name");

    if (raw["acr"] !== undefined && info.kind !== "acr") {
      problems.at([...path, "acr"], `${host} is not an Azure Container Registry login server`);
    }
    if (info.kind === "dockerhub" && info.kubeletMatch === "never") {
      problems.at(
        [...path, "host"],
        `kubelet never matches a credential keyed ${info.host} (it looks images up as docker.io/...); use host: docker.io`,
      );
    }
    if (raw["ecr"] !== undefined && info.kind !== "ecr") {
      problems.at([...path, "ecr"], `${host} is not an ECR endpoint AWS serves`);
    }

    const credentialRaw = raw["credential"] as JsonObject | undefined;
    let credential: CredentialDecl | undefined;
    if (credentialRaw) {
      credential = buildCredential(credentialRaw, [...path, "credential"], info, cluster, problems, now);
    } else if (needsStaticCredential(info, cluster)) {
      problems.at(
        path,
        `missing credential: ${info.host} needs a pull secret, so say which credential it holds (credential.type, username, passwordEnv)`,
        info.kind === "ghcr"
          ? "ghcr.io takes a classic personal access token of a machine user with only read:packages: credential: {type: classic-pat, username: MACHINE-USER, passwordEnv: GHCR_TOKEN, expires: YYYY-MM-DD}"
          : "e.g. credential: {type: robot-account, username: NAME, passwordEnv: VAR}",
      );
    }
    return {
      name,
      path: formatFieldPath(path),
      host: info.host,
      info,
      ...(resourceId !== undefined ? { acrResourceId: resourceId } : {}),
      ...(owner !== undefined ? { ghcrOwner: owner } : {}),
      secretName,
      ...(credential !== undefined ? { credential } : {}),
    };
  });
}

function buildNamespaces(
  raws: JsonObject[],
  registries: RegistryDecl[],
  problems: Problems,
): NamespaceDecl[] {
  const names = new Map<string, number>();
  const registryByName = new Map(registries.map((r) => [r.name, r]));
  return raws.map((raw, index) => {
    const path: PathSegment[] = ["namespaces", index];
    const name = raw["name"] as string;
    const first = names.get(name);
    if (first === undefined) names.set(name, index);
    else {
      const line = problems.located.valuePosition(["namespaces", first, "name"]).line;
      problems.at(
        [...path, "name"],
        `namespace ${JSON.stringify(name)} is declared twice (first at namespaces[${first}], line ${line})`,
        "list each namespace once, with all the registries it pulls from",
      );
    }
    const used = (raw["registries"] as string[]) ?? [];
    used.forEach((registry, i) => {
      if (!registryByName.has(registry)) {
        const guess = closest(registry, [...registryByName.keys()]);
        problems.at(
          [...path, "registries", i],
          `no registry is named ${JSON.stringify(registry)}${guess ? ` (did you mean "${guess}"?)` : ""}; registries are ${orList([...registryByName.keys()])}`,
        );
      }
    });
    const workloads: WorkloadDecl[] = [];
    const workloadKeys = new Set<string>();
    ((raw["workloads"] as JsonObject[] | undefined) ?? []).forEach((w, i) => {
      const workload: WorkloadDecl = {
        kind: w["kind"] as WorkloadKind,
        name: w["name"] as string,
        serviceAccount: str(w, "serviceAccount") ?? "default",
      };
      const key = `${workload.kind}/${workload.name}`;
      if (workloadKeys.has(key)) problems.at([...path, "workloads", i], `${key} is listed twice`);
      workloadKeys.add(key);
      workloads.push(workload);
    });
    const images = (raw["images"] as string[] | undefined) ?? [];
    images.forEach((image, i) => {
      let domain: string;
      try {
        domain = parseNormalizedReference(image).domain.toLowerCase();
      } catch (error) {
        problems.at([...path, "images", i], `not an image reference: ${(error as Error).message}`);
        return;
      }
      const hosts = used.map((r) => registryByName.get(r)?.host).filter((h): h is string => h !== undefined);
      if (!hosts.includes(domain)) {
        problems.at(
          [...path, "images", i],
          `${image} is on ${domain}, which is not one of this namespace's registries (${orList(hosts)})`,
        );
      }
    });
    return {
      name,
      path: formatFieldPath(path),
      registries: used,
      serviceAccounts: (raw["serviceAccounts"] as string[] | undefined) ?? [],
      workloads,
      images,
    };
  });
}

function buildLayout(raw: JsonObject, problems: Problems, now: Date): Layout {
  if (raw["apiVersion"] !== LAYOUT_API_VERSION || raw["kind"] !== LAYOUT_KIND) {
    problems.at([], `not a ${LAYOUT_KIND}`);
  }
  const cluster = buildCluster(raw["cluster"] as JsonObject, problems);
  const registries = buildRegistries(raw["registries"] as JsonObject[], cluster, problems, now);
  const namespaces = buildNamespaces(raw["namespaces"] as JsonObject[], registries, problems);
  const metadata = raw["metadata"] as JsonObject | undefined;
  const name = metadata ? str(metadata, "name") : undefined;
  return {
    ...(name !== undefined ? { name } : {}),
    cluster,
    registries,
    namespaces,
  };
}
