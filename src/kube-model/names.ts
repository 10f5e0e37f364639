/**
 * Kubernetes object name rules (apimachinery pkg/util/validation): a namespace is a DNS-1123 label, a Secret,
 * ServiceAccount or workload name a DNS-1123 subdomain. The API server refuses other names (kubectl's
 * client-side dry run does not check them). Here: the rules, what is wrong with a name that breaks one, and the
 * nearest name that keeps it.
 */

export const DNS1123_LABEL_MAX_LENGTH = 63;
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;

/** The rules as regular-expression source, for JSON Schema `pattern`s (length is checked apart). */
export const DNS1123_LABEL_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
export const DNS1123_SUBDOMAIN_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

/** One character a label may hold. */
export const DNS1123_LABEL_CHAR = /[a-z0-9-]/;
/** One character a subdomain may hold. */
export const DNS1123_SUBDOMAIN_CHAR = /[a-z0-9.-]/;

const LABEL = new RegExp(DNS1123_LABEL_PATTERN);
const SUBDOMAIN = new RegExp(DNS1123_SUBDOMAIN_PATTERN);

export function isDns1123Label(value: string): boolean {
  return value.length <= DNS1123_LABEL_MAX_LENGTH && LABEL.test(value);
}

export function isDns1123Subdomain(value: string): boolean {
  return value.length <= DNS1123_SUBDOMAIN_MAX_LENGTH && SUBDOMAIN.test(value);
}

/**
 * What breaks a label's shape beyond its characters (which the caller names, as it words them): a '-' at either
 * end. `it starts with '-'`, `it ends with '-'`.
 */
export function dns1123LabelShapeProblems(value: string): string[] {
  const problems: string[] = [];
  const first = value[0] ?? "";
  const last = value[value.length - 1] ?? "";
  if (first === "-" || first === ".") problems.push(`it starts with '${first}'`);
  if ((last === "-" || last === ".") && value.length > 1) problems.push(`it ends with '${last}'`);
  return problems;
}

/** As `dns1123LabelShapeProblems`, plus a dot-separated part that is empty or has a '-' at either end. */
export function dns1123SubdomainShapeProblems(value: string): string[] {
  return [
    ...dns1123LabelShapeProblems(value),
    ...(/\.\.|\.-|-\./.test(value) ? ["a dot-separated part is empty or starts or ends with '-'"] : []),
  ];
}

/**
 * The label nearest to `value` (`Tools_NS` → `tools-ns`): lowercase, each run of other characters one '-', no '-'
 * at either end, at most 63 characters. undefined when nothing is left.
 */
export function toDns1123Label(value: string): string | undefined {
  const label = value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+/, "")
    .slice(0, DNS1123_LABEL_MAX_LENGTH)
    .replace(/-+$/, "");
  return label === "" ? undefined : label;
}

/**
 * The subdomain nearest to `value` (`fooSecret` → `foosecret`, `my_pull.Reg` → `my-pull.reg`): each dot-separated
 * part made a label the same way (without a limit of its own), empty parts dropped, at most 253 characters.
 * undefined when nothing is left. A suggestion only: the user picks the real name.
 */
export function toDns1123Subdomain(value: string): string | undefined {
  const name = value
    .toLowerCase()
    .split(".")
    .map((part) =>
      part
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-+/, "")
        .replace(/-+$/, ""),
    )
    .filter((part) => part !== "")
    .join(".")
    .slice(0, DNS1123_SUBDOMAIN_MAX_LENGTH)
    .replace(/[-.]+$/, "");
  return name === "" ? undefined : name;
}

const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/**
 * What makes `value` not a qualified name (apimachinery `validation.IsQualifiedName`: an annotation or label
 * key, `[prefix/]name`, the prefix a DNS-1123 subdomain, the name at most 63 characters of alphanumerics, '-',
 * '_' and '.', starting and ending alphanumeric); empty when it is one.
 */
export function qualifiedNameProblems(value: string): string[] {
  const parts = value.split("/");
  if (parts.length > 2) return ["it has more than one '/' (a qualified name is [prefix/]name)"];
  const [prefix, name] = parts.length === 2 ? [parts[0] ?? "", parts[1] ?? ""] : [undefined, parts[0] ?? ""];
  const problems: string[] = [];
  if (prefix !== undefined) {
    if (prefix === "") problems.push("the prefix part must be non-empty");
    else if (!isDns1123Subdomain(prefix))
      problems.push("the prefix part must be a lowercase DNS-1123 subdomain");
  }
  if (name === "") problems.push("the name part must be non-empty");
  else {
    if (name.length > DNS1123_LABEL_MAX_LENGTH)
      problems.push("the name part must be no more than 63 characters");
    if (!QUALIFIED_NAME_PART.test(name)) {
      problems.push(
        "the name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
      );
    }
  }
  return problems;
}
