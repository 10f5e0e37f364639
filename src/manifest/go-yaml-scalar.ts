/**
 * Emits a string scalar exactly as kubectl's YAML printer does. kubectl converts objects to YAML with
 * sigs.k8s.io/yaml, which uses go-yaml v2: a string is written plain unless, read back as YAML 1.1, it would
 * resolve to another type (bool, null, int, float, timestamp) or plain style is not allowed; then it is
 * double-quoted (or single-quoted when the emitter refuses plain style).
 *
 * Scope: the strings kubectl puts in a Secret manifest (DNS names, data keys, base64, the Secret type).
 * Multi-line and non-printable strings are outside that scope and are refused by the callers.
 * Spec: https://github.com/go-yaml/yaml/blob/v2.4.0/resolve.go and encode.go (stringv), emitterc.go.
 */

const YAML11_NON_STRINGS = new Set([
  "y",
  "Y",
  "yes",
  "Yes",
  "YES",
  "n",
  "N",
  "no",
  "No",
  "NO",
  "true",
  "True",
  "TRUE",
  "false",
  "False",
  "FALSE",
  "on",
  "On",
  "ON",
  "off",
  "Off",
  "OFF",
  "null",
  "Null",
  "NULL",
  "~",
  "",
  ".inf",
  ".Inf",
  ".INF",
  "+.inf",
  "+.Inf",
  "+.INF",
  "-.inf",
  "-.Inf",
  "-.INF",
  ".nan",
  ".NaN",
  ".NAN",
  "<<",
]);

// go-yaml v2 resolve(): ints (with optional sign, underscores, 0b/0o/0x/leading-0 octal), floats and
// base-60 forms. A match means the plain scalar would not read back as a string.
const INT = /^[-+]?(0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*)$/;
const FLOAT = /^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
// Timestamps as accepted by go-yaml v2 parseTimestamp (date, or date + time).
const TIMESTAMP =
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$/;

function resolvesToNonString(value: string): boolean {
  if (YAML11_NON_STRINGS.has(value)) return true;
  const first = value.charAt(0);
  if (/[-+.0-9]/.test(first)) {
    return INT.test(value) || FLOAT.test(value) || BASE60_FLOAT.test(value) || TIMESTAMP.test(value);
  }
  return false;
}

const FLOW_OR_BLOCK_START = new Set([
  "#",
  ",",
  "[",
  "]",
  "{",
  "}",
  "&",
  "*",
  "!",
  "|",
  ">",
  "'",
  '"',
  "%",
  "@",
  "`",
]);

/** Whether go-yaml's emitter accepts `value` in plain block style (yaml_emitter_analyze_scalar). */
function plainAllowed(value: string): boolean {
  if (value.length === 0) return false;
  if (/^\s|\s$/.test(value)) return false;
  const first = value.charAt(0);
  const second = value.charAt(1);
  if (FLOW_OR_BLOCK_START.has(first)) return false;
  if ((first === "?" || first === ":" || first === "-") && (second === "" || second === " ")) return false;
  if (value.startsWith("---") || value.startsWith("...")) return false;
  if (value.includes(": ") || value.endsWith(":") || value.includes(" #")) return false;
  // Anything outside printable ASCII makes go-yaml pick another style; callers never pass such strings.
  return /^[\x20-\x7e]+$/.test(value);
}

function doubleQuote(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** The YAML text kubectl prints for the string `value` in block context. */
export function goYamlString(value: string): string {
  if (resolvesToNonString(value)) return doubleQuote(value);
  if (plainAllowed(value)) return value;
  return `'${value.replace(/'/g, "''")}'`;
}
