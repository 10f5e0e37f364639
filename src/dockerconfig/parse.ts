/**
 * Parses `.dockerconfigjson`, legacy `.dockercfg` and docker `config.json` text the way kubelet (Go's
 * encoding/json) reads it, reporting everything consumers reject or misread as Problems.
 *
 * Go semantics reproduced: struct fields (`auths`, `username`, `auth`, …) match case-insensitively; a repeated
 * key keeps the last value (a repeated `auths` object merges into the same map, `null` clears it); a `null`
 * field value leaves the field unset; a non-string credential field fails the whole decode.
 *
 * Hostile input gives a one-line InputError (never a stack, never input text): oversized input is refused
 * before parsing, binary and non-UTF-8 input is refused, JSON errors carry line and column, nesting is capped.
 */
import { InputError } from "../errors.js";
import type { InputPosition } from "../errors.js";
import { analyzeEntry } from "./entry-checks.js";
import type { EntryFields, FieldValue } from "./entry-checks.js";
import { CONFIG_JSON_KEYS, ENTRY_FIELDS, KUBELET_FIELDS, classifyTopLevel, fold } from "./fields.js";
import { findInvalidUtf8, utf8ByteLength, utf8DecodeLossy } from "./go-strings.js";
import { scanJson } from "./json-scan.js";
import type { JsonMember, JsonNode, JsonObject } from "./json-scan.js";
import { normalizeKeyringKey } from "./keyring.js";
import type { DockerConfigEntry, DockerConfigFormat, ParsedDockerConfig } from "./model.js";
import { makeProblem, quoteFieldName, quoteKey, redactDerivedKey } from "./problems.js";
import type { Problem, ProblemCode } from "./problems.js";

/** Inputs larger than this are refused without being parsed. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** Deepest nesting of objects/arrays accepted (a docker config needs 3). */
export const MAX_JSON_DEPTH = 32;

export interface ParseDockerConfigOptions {
  /** Names the input in errors and problems (a path, `-` for stdin, `secret ns/name`). */
  source: string;
  /** Default "auto": decided from the top-level keys (see detectFormat). */
  format?: DockerConfigFormat | "auto";
}

export function parseDockerConfigText(
  input: string | Uint8Array,
  options: ParseDockerConfigOptions,
): ParsedDockerConfig {
  const source = options.source;
  const text = toText(input, source);
  const hasBom = text.charCodeAt(0) === 0xfeff;
  refuseObviousNonJson(text, hasBom ? 1 : 0, source);
  let root: JsonNode;
  try {
    root = scanJson(text, { source, maxDepth: MAX_JSON_DEPTH, start: hasBom ? 1 : 0 });
  } catch (error) {
    throw withHint(error, text);
  }
  const problems: Problem[] = [];
  if (hasBom) {
    problems.push(
      makeProblem(
        "utf8-bom",
        "the input starts with a UTF-8 byte order mark; kubelet's JSON decoder rejects it",
        {
          position: { line: 1, column: 1, offset: 0 },
          source,
        },
      ),
    );
  }
  return new Interpreter(source, problems).run(root, options.format ?? "auto");
}

function tooLarge(source: string): never {
  throw new InputError(
    "E_DOCKERCONFIG_TOO_LARGE",
    `input is larger than ${MAX_CONFIG_BYTES} bytes; refusing to parse it`,
    {
      source,
    },
  );
}

/** `offset` counts bytes for byte input and UTF-16 code units for text input. */
function binary(source: string, what: string, offset: number, unit = "byte offset"): never {
  throw new InputError("E_DOCKERCONFIG_BINARY", `input is not JSON text: ${what} at ${unit} ${offset}`, {
    source,
    position: { offset },
  });
}

/** Size cap, then binary / encoding checks; returns the text to parse. */
function toText(input: string | Uint8Array, source: string): string {
  if (typeof input === "string") {
    // UTF-8 is never shorter than UTF-16 code units, so this refuses huge strings without measuring them.
    if (input.length > MAX_CONFIG_BYTES || utf8ByteLength(input) > MAX_CONFIG_BYTES) tooLarge(source);
    const nul = input.indexOf("\0");
    if (nul >= 0) binary(source, "a NUL character", nul, "offset");
    return input;
  }
  if (!(input instanceof Uint8Array)) {
    throw new InputError("E_DOCKERCONFIG_INPUT", "input must be text or bytes", { source });
  }
  if (input.byteLength > MAX_CONFIG_BYTES) tooLarge(source);
  if (input[0] === 0x1f && input[1] === 0x8b) binary(source, "gzip-compressed data (decompress it first)", 0);
  const nul = input.indexOf(0);
  if (nul >= 0) binary(source, "a NUL byte", nul);
  const invalid = findInvalidUtf8(input);
  if (invalid >= 0) binary(source, "bytes that are not UTF-8", invalid);
  return utf8DecodeLossy(input);
}

/** Base64 text where JSON was expected: almost always a Secret's data value pasted as is. */
function refuseObviousNonJson(text: string, start: number, source: string): void {
  const trimmed = text.slice(start).trim();
  if (/^e[wy][A-Za-z0-9+/]*={0,2}$/.test(trimmed.replace(/\s+/g, ""))) {
    throw new InputError(
      "E_DOCKERCONFIG_BASE64",
      "input looks base64-encoded (a Secret data value?), not JSON; decode it first",
      { source, position: { line: 1, column: 1, offset: start } },
    );
  }
}

/** Whether text that failed to parse as JSON starts like a YAML Kubernetes manifest (a pasted Secret). */
export function looksLikeYamlManifest(text: string): boolean {
  return /^\s*(?:---|apiVersion\s*:|kind\s*:|metadata\s*:|data\s*:|type\s*:)/.test(text);
}

function withHint(error: unknown, text: string): unknown {
  if (!(error instanceof InputError) || error.code !== "E_DOCKERCONFIG_JSON") return error;
  if (!looksLikeYamlManifest(text)) return error;
  // Callers that know where the text came from (a CLI flag) replace this with the flag that reads manifests.
  const options: ConstructorParameters<typeof InputError>[2] = {
    hint: "this looks like a Kubernetes manifest (a Secret?), not docker config JSON",
  };
  if (error.source !== undefined) options.source = error.source;
  if (error.position !== undefined) options.position = error.position;
  return new InputError(error.code, error.message, options);
}

function kindName(node: JsonNode): string {
  switch (node.kind) {
    case "object":
      return "an object";
    case "array":
      return "an array";
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "boolean":
      return "a boolean";
    case "null":
      return "null";
  }
}

function isEntryLike(node: JsonNode): boolean {
  return node.kind === "object" && node.members.some((m) => ENTRY_FIELDS[fold(m.key)] !== undefined);
}

/**
 * The format `auto` picks: `auths` → dockerconfigjson (config.json when docker client settings such as
 * credsStore are present too); no auths but client settings → config.json; a map of objects → dockercfg;
 * anything else (`{}` included) → dockerconfigjson.
 */
function detectFormat(root: JsonObject): DockerConfigFormat {
  const allEntries = root.members.every((m) => m.value.kind === "object" || m.value.kind === "null");
  return (
    classifyTopLevel(
      root.members.map((m) => m.key),
      allEntries,
    ) ?? "dockerconfigjson"
  );
}

interface ReadEntry {
  fields: EntryFields;
  problems: Problem[];
}

class Interpreter {
  constructor(
    private readonly source: string,
    private readonly problems: Problem[],
  ) {}

  run(root: JsonNode, requested: DockerConfigFormat | "auto"): ParsedDockerConfig {
    if (root.kind === "null") {
      const format = requested === "auto" ? "dockerconfigjson" : requested;
      this.add("no-entries", "the document is null: there are no registry entries", root.position);
      return { format, entries: [], problems: this.problems };
    }
    if (root.kind !== "object") {
      this.shapeError(`expected a JSON object at the top level, found ${kindName(root)}`, root.position);
    }
    const format = requested === "auto" ? detectFormat(root) : requested;
    const entries = new Map<string, ReadEntry>();
    const result: ParsedDockerConfig = { format, entries: [], problems: this.problems };

    if (format === "dockercfg") {
      this.add(
        "legacy-dockercfg-format",
        "legacy .dockercfg format: kubelet reads it (type kubernetes.io/dockercfg) but skopeo, docker and containerd tools do not",
        root.position,
      );
      this.readEntryMap(root, entries, true);
    } else {
      this.readConfigJson(root, format, entries, result);
    }

    for (const { fields, problems } of entries.values()) {
      this.problems.push(...problems);
      const analysis = analyzeEntry(fields, { format, mode: "parse", source: this.source });
      this.problems.push(...analysis.problems);
      result.entries.push(analysis.entry);
    }
    if (
      result.entries.length === 0 &&
      !(format === "config.json" && (result.credsStore || result.credHelpers))
    ) {
      this.add("no-entries", "there are no registry entries", root.position);
    }
    this.checkNormalizedDuplicates(result.entries);
    return result;
  }

  private readConfigJson(
    root: JsonObject,
    format: DockerConfigFormat,
    entries: Map<string, ReadEntry>,
    result: ParsedDockerConfig,
  ): void {
    this.reportDuplicates(root.members, (m) => fold(m.key), "top-level key");
    let sawAuths = false;
    const strayEntries: JsonMember[] = [];
    for (const member of root.members) {
      const f = fold(member.key);
      const value = member.value;
      if (f === "auths") {
        sawAuths = true;
        this.checkCase(member, "auths");
        if (value.kind === "null") entries.clear();
        else if (value.kind === "object") this.readEntryMap(value, entries, false);
        else this.shapeError(`"auths" must be a JSON object, found ${kindName(value)}`, value.position);
      } else if (f === "httpheaders") {
        const ok =
          value.kind === "null" ||
          (value.kind === "object" && value.members.every((m) => isStringOrNull(m.value)));
        if (!ok) {
          this.add(
            "http-headers-invalid",
            "HttpHeaders must be an object of strings; kubelet's decoder fails on this document",
            value.position,
          );
        }
      } else if (f === "credsstore") {
        if (value.kind === "string") result.credsStore = value.value;
        else if (value.kind !== "null") {
          this.add(
            "cred-helper-invalid",
            `credsStore must be a string, found ${kindName(value)}`,
            value.position,
          );
        }
      } else if (f === "credhelpers") {
        this.readCredHelpers(value, result);
      } else if (format === "dockerconfigjson" && !CONFIG_JSON_KEYS.has(f)) {
        if (isEntryLike(value)) strayEntries.push(member);
        else
          this.add(
            "unknown-field",
            `unknown top-level key ${quoteFieldName(member.key)}`,
            member.keyPosition,
          );
      }
    }
    if (!sawAuths && strayEntries.length > 0) {
      const first = strayEntries[0];
      this.add(
        "missing-auths-wrapper",
        `registry entries such as ${quoteKey(first?.key ?? "")} are not inside "auths" (legacy .dockercfg layout); kubelet reads only "auths" and finds no credentials`,
        first?.keyPosition,
      );
    } else {
      for (const m of strayEntries)
        this.add("unknown-field", `unknown top-level key ${quoteKey(m.key)}`, m.keyPosition);
    }
    if (result.credsStore !== undefined || result.credHelpers !== undefined) {
      this.add(
        "credential-helpers-ignored",
        format === "config.json"
          ? "credsStore/credHelpers are not used by kubelet, which reads only auths from a node's config.json"
          : "credsStore/credHelpers in a pull secret are ignored: kubelet reads only auths and runs no credential helpers",
        root.position,
        format === "config.json" ? "info" : undefined,
      );
    }
  }

  private readCredHelpers(value: JsonNode, result: ParsedDockerConfig): void {
    if (value.kind === "null") return;
    if (value.kind !== "object") {
      this.add(
        "cred-helper-invalid",
        `credHelpers must be an object, found ${kindName(value)}`,
        value.position,
      );
      return;
    }
    const helpers: Record<string, string> = {};
    for (const m of value.members) {
      if (m.value.kind === "string") {
        Object.defineProperty(helpers, m.key, {
          value: m.value.value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else if (m.value.kind !== "null") {
        this.add(
          "cred-helper-invalid",
          `credHelpers entry ${quoteKey(m.key)} must be a string, found ${kindName(m.value)}`,
          m.value.position,
        );
      }
    }
    result.credHelpers = helpers;
  }

  /** Reads a registry → entry map into `entries` (last occurrence of a key wins, keeping its first place). */
  private readEntryMap(obj: JsonObject, entries: Map<string, ReadEntry>, legacy: boolean): void {
    const firstSeen = new Map<string, InputPosition>();
    for (const member of obj.members) {
      const previous = firstSeen.get(member.key);
      if (previous !== undefined) {
        this.add(
          "duplicate-key",
          `registry key ${quoteKey(member.key)} appears more than once (first at line ${previous.line ?? "?"}); only the last is used`,
          member.keyPosition,
          undefined,
          member.key,
        );
      } else {
        firstSeen.set(member.key, member.keyPosition);
      }
      const value = member.value;
      if (
        legacy &&
        member.key === "auths" &&
        value.kind === "object" &&
        value.members.some((m) => isEntryLike(m.value))
      ) {
        this.add(
          "dockercfg-has-auths-wrapper",
          `.dockercfg content is wrapped in "auths" (.dockerconfigjson layout); kubelet reads "auths" as a registry name and finds no credentials`,
          member.keyPosition,
        );
        entries.set(member.key, {
          fields: { key: member.key, keyPosition: member.keyPosition },
          problems: [],
        });
        continue;
      }
      if (value.kind === "null") {
        const problems = [
          makeProblem("entry-null", `entry ${quoteKey(member.key)} is null`, {
            key: member.key,
            position: value.position,
            source: this.source,
          }),
        ];
        entries.set(member.key, { fields: { key: member.key, keyPosition: member.keyPosition }, problems });
      } else if (value.kind === "object") {
        entries.set(member.key, this.readEntry(member.key, member.keyPosition, value));
      } else {
        this.shapeError(
          `entry ${quoteKey(member.key)} must be a JSON object, found ${kindName(value)}`,
          value.position,
        );
      }
    }
  }

  private readEntry(key: string, keyPosition: InputPosition, obj: JsonObject): ReadEntry {
    const fields: EntryFields = { key, keyPosition };
    const problems: Problem[] = [];
    const push = (
      code: ProblemCode,
      message: string,
      position: InputPosition,
      severity?: Problem["severity"],
    ) => {
      const details = { key, position, source: this.source };
      problems.push(makeProblem(code, message, severity ? { ...details, severity } : details));
    };
    const seen = new Map<string, InputPosition>();
    for (const member of obj.members) {
      const f = fold(member.key);
      const prop = ENTRY_FIELDS[f];
      if (prop === undefined) {
        push(
          "unknown-field",
          `entry ${quoteKey(key)} has unknown field ${quoteFieldName(member.key)}`,
          member.keyPosition,
        );
        continue;
      }
      const previous = seen.get(f);
      if (previous !== undefined) {
        push(
          "duplicate-key",
          `entry ${quoteKey(key)} sets "${f}" more than once (first at line ${previous.line ?? "?"}); the last value is used`,
          member.keyPosition,
        );
      } else {
        seen.set(f, member.keyPosition);
      }
      if (member.key !== f) {
        push(
          "field-name-case",
          `entry ${quoteKey(key)} spells field "${f}" as ${quoteFieldName(member.key)}; Go consumers accept it, other tools may not`,
          member.keyPosition,
        );
      }
      const value = member.value;
      if (value.kind === "string") {
        const fv: FieldValue = { value: value.value, position: value.position };
        fields[prop] = fv;
      } else if (value.kind !== "null") {
        const kubelet = KUBELET_FIELDS.has(f);
        push(
          "field-not-string",
          kubelet
            ? `field "${f}" of ${quoteKey(key)} must be a string, found ${kindName(value)}; kubelet rejects the whole secret`
            : `field "${f}" of ${quoteKey(key)} must be a string, found ${kindName(value)}; docker fails to load the file`,
          value.position,
          kubelet ? undefined : "warning",
        );
      }
    }
    return { fields, problems };
  }

  private checkNormalizedDuplicates(entries: readonly DockerConfigEntry[]): void {
    const groups = new Map<string, DockerConfigEntry[]>();
    for (const entry of entries) {
      const normalized = normalizeKeyringKey(entry.key);
      if (normalized === undefined) continue;
      const group = groups.get(normalized);
      if (group) group.push(entry);
      else groups.set(normalized, [entry]);
    }
    for (const [normalized, group] of groups) {
      const [first, ...rest] = group;
      if (!first) continue;
      for (const other of rest) {
        const same =
          first.decoded?.username === other.decoded?.username &&
          first.decoded?.password === other.decoded?.password;
        this.add(
          "key-duplicate-normalized",
          `registry keys ${quoteKey(first.key)} and ${quoteKey(other.key)} both mean ${quoteKey(redactDerivedKey(first.key, normalized))} to kubelet, which tries both in unspecified order${same ? " (same credentials)" : ""}`,
          other.position,
          same ? "info" : undefined,
          other.key,
        );
      }
    }
  }

  private reportDuplicates(
    members: readonly JsonMember[],
    by: (m: JsonMember) => string,
    what: string,
  ): void {
    const seen = new Map<string, InputPosition>();
    for (const m of members) {
      const k = by(m);
      const previous = seen.get(k);
      if (previous === undefined) {
        seen.set(k, m.keyPosition);
        continue;
      }
      this.add(
        "duplicate-key",
        `${what} ${quoteKey(m.key)} appears more than once (first at line ${previous.line ?? "?"}); Go consumers use the last one${k === "auths" ? " (merging auths objects)" : ""}`,
        m.keyPosition,
      );
    }
  }

  private checkCase(member: JsonMember, canonical: string): void {
    if (member.key === canonical) return;
    this.add(
      "field-name-case",
      `top-level key ${quoteKey(member.key)} should be spelled "${canonical}"; Go consumers accept it, other tools may not`,
      member.keyPosition,
    );
  }

  private add(
    code: ProblemCode,
    message: string,
    position: InputPosition | undefined,
    severity?: Problem["severity"],
    key?: string,
  ): void {
    const details: Parameters<typeof makeProblem>[2] = { source: this.source, position };
    if (severity !== undefined) details.severity = severity;
    if (key !== undefined) details.key = key;
    this.problems.push(makeProblem(code, message, details));
  }

  private shapeError(message: string, position: InputPosition): never {
    throw new InputError("E_DOCKERCONFIG_SHAPE", message, { source: this.source, position });
  }
}

function isStringOrNull(node: JsonNode): boolean {
  return node.kind === "string" || node.kind === "null";
}
