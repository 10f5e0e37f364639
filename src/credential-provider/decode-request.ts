/**
 * Strict decoding of the `CredentialProviderRequest` kubelet writes to the plugin's stdin, as kubelet's own
 * codec decodes these objects (`serializer.EnableStrict`, sigs.k8s.io/json): field names are case-sensitive, an
 * unknown or repeated field is an error, `null` leaves a field unset. The service-account fields are v1 only
 * (KEP-4412). Never echoes a value: errors name fields, and the token is a secret.
 */
import { InputError } from "../errors.js";
import { findInvalidUtf8, utf8DecodeLossy } from "../dockerconfig/go-strings.js";
import { scanJson } from "../dockerconfig/json-scan.js";
import type { JsonNode, JsonObject } from "../dockerconfig/json-scan.js";
import {
  CREDENTIAL_PROVIDER_GROUP,
  PROTOCOL_API_VERSIONS,
  REQUEST_KIND,
  SERVICE_ACCOUNT_API_VERSION,
  isProtocolApiVersion,
} from "./protocol.js";
import type { CredentialProviderRequest } from "./protocol.js";

/**
 * The largest request accepted. kubelet's holds an image name, a token (a few KiB) and the annotations the
 * provider asked for; a Kubernetes object's annotations are capped at 256 KiB in all.
 */
export const MAX_REQUEST_BYTES = 512 * 1024;
/** A request is three levels deep (object, annotations, value). */
const MAX_DEPTH = 4;
const SOURCE = "stdin";

function refuse(message: string, hint?: string): never {
  throw new InputError("E_PROVIDER_REQUEST", `CredentialProviderRequest: ${message}`, {
    source: SOURCE,
    hint:
      hint ??
      "this plugin is run by kubelet, which writes the request on stdin (see docs/credential-provider.md)",
  });
}

/**
 * A value from the input, quoted only when it has the shape of a field name, kind or group/version (letters; a
 * DNS-like group, a slash and a version): anything else could be a pasted secret.
 */
function shown(value: string): string {
  return /^[A-Za-z]{1,40}$|^[a-z0-9.-]{1,100}\/[a-z0-9]{1,20}$/.test(value)
    ? JSON.stringify(value)
    : `(${value.length} characters, not shown)`;
}

function text(input: string | Uint8Array): string {
  if (typeof input === "string") {
    if (input.length > MAX_REQUEST_BYTES) refuse(`larger than ${MAX_REQUEST_BYTES} bytes`);
    return input;
  }
  if (input.byteLength > MAX_REQUEST_BYTES) refuse(`larger than ${MAX_REQUEST_BYTES} bytes`);
  if (findInvalidUtf8(input) >= 0) refuse("not UTF-8 text");
  return utf8DecodeLossy(input);
}

function stringField(node: JsonNode, name: string): string | undefined {
  if (node.kind === "null") return undefined;
  if (node.kind !== "string")
    refuse(`field ${name} must be a string, not ${node.kind === "object" ? "an object" : `a ${node.kind}`}`);
  return node.value;
}

function annotations(node: JsonNode): Record<string, string> | undefined {
  if (node.kind === "null") return undefined;
  if (node.kind !== "object") refuse("field serviceAccountAnnotations must be an object of strings");
  const out: Record<string, string> = {};
  const seen = new Set<string>();
  for (const member of node.members) {
    if (seen.has(member.key)) refuse(`serviceAccountAnnotations repeats a key`);
    seen.add(member.key);
    if (member.value.kind !== "string")
      refuse("field serviceAccountAnnotations must be an object of strings");
    out[member.key] = member.value.value;
  }
  return out;
}

const FIELDS = new Set(["kind", "apiVersion", "image", "serviceAccountToken", "serviceAccountAnnotations"]);

/** The request on stdin, or an InputError (E_PROVIDER_REQUEST) saying what is wrong with it. */
export function decodeCredentialProviderRequest(input: string | Uint8Array): CredentialProviderRequest {
  const source = text(input);
  if (source.trim() === "") refuse("stdin is empty");
  let root: JsonNode;
  try {
    root = scanJson(source, { source: SOURCE, maxDepth: MAX_DEPTH });
  } catch (error) {
    // The scanner's message names a position and a character class, never input text.
    const where =
      error instanceof InputError && error.position?.line !== undefined
        ? ` at line ${error.position.line} column ${error.position.column ?? 0}`
        : "";
    refuse(`not valid JSON${where} (${error instanceof Error ? error.message : "parse error"})`);
  }
  if (root.kind !== "object") refuse("must be a JSON object");
  const fields = new Map<string, JsonNode>();
  for (const member of (root as JsonObject).members) {
    if (!FIELDS.has(member.key)) {
      refuse(
        `unknown field ${shown(member.key)} (decoded strictly, as kubelet does; field names are case-sensitive)`,
      );
    }
    if (fields.has(member.key)) refuse(`field ${member.key} appears twice`);
    fields.set(member.key, member.value);
  }
  const kindNode = fields.get("kind");
  const apiVersionNode = fields.get("apiVersion");
  const kind = kindNode ? stringField(kindNode, "kind") : undefined;
  const apiVersion = apiVersionNode ? stringField(apiVersionNode, "apiVersion") : undefined;
  if (apiVersion === undefined || apiVersion === "") refuse("apiVersion is missing");
  if (!isProtocolApiVersion(apiVersion)) {
    refuse(
      `apiVersion ${shown(apiVersion)} is not one this plugin speaks (${PROTOCOL_API_VERSIONS.join(", ")})`,
      `set the provider's apiVersion in kubelet's CredentialProviderConfig to one of them (${CREDENTIAL_PROVIDER_GROUP}/v1 on kubelet 1.26+)`,
    );
  }
  if (kind !== REQUEST_KIND) {
    refuse(
      kind === undefined || kind === "" ? "kind is missing" : `kind ${shown(kind)} is not ${REQUEST_KIND}`,
    );
  }
  const imageNode = fields.get("image");
  const image = imageNode ? stringField(imageNode, "image") : undefined;
  if (image === undefined || image === "") refuse("image is missing or empty");
  const tokenNode = fields.get("serviceAccountToken");
  const annotationsNode = fields.get("serviceAccountAnnotations");
  if ((tokenNode || annotationsNode) && apiVersion !== SERVICE_ACCOUNT_API_VERSION) {
    refuse(
      `serviceAccountToken and serviceAccountAnnotations exist only in ${SERVICE_ACCOUNT_API_VERSION}, not ${apiVersion}`,
    );
  }
  const serviceAccountToken = tokenNode ? stringField(tokenNode, "serviceAccountToken") : undefined;
  const serviceAccountAnnotations = annotationsNode ? annotations(annotationsNode) : undefined;
  return {
    apiVersion,
    image,
    ...(serviceAccountToken !== undefined && serviceAccountToken !== "" ? { serviceAccountToken } : {}),
    ...(serviceAccountAnnotations !== undefined && Object.keys(serviceAccountAnnotations).length > 0
      ? { serviceAccountAnnotations }
      : {}),
  };
}
