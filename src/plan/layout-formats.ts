/**
 * The string formats of a layout: each pattern the JSON Schema checks, with the words that explain a value that
 * does not match it (what it is, what is wrong with this value, what is expected) and, where one can be
 * derived, the corrected value to suggest. `layout-schema.ts` takes its patterns from here, `layout-parse.ts`
 * and `init` their messages, so a rule and its explanation cannot drift apart. The Kubernetes name rules
 * (DNS-1123) and their corrections are kube-model's; this table words them for a layout.
 */
import {
  DNS1123_LABEL_CHAR,
  DNS1123_LABEL_PATTERN,
  DNS1123_SUBDOMAIN_CHAR,
  DNS1123_SUBDOMAIN_PATTERN,
  dns1123LabelShapeProblems,
  dns1123SubdomainShapeProblems,
  toDns1123Label,
  toDns1123Subdomain,
} from "../kube-model/index.js";

export interface StringFormat {
  readonly pattern: string;
  /** What a valid value is, completing "VALUE is not ...". */
  readonly name: string;
  /** What a valid value looks like, completing "expected ...". */
  readonly expected: string;
  /** One character a valid value may hold; the others are named in the message. */
  readonly chars?: RegExp;
  /** Further reasons this value does not match (beyond characters it may not hold). */
  readonly reasons?: (value: string) => string[];
  /** A corrected value to suggest, when one can be derived. */
  readonly fix?: (value: string) => string | undefined;
}

function quoteChar(char: string): string {
  if (char === " ") return "a space";
  if (/\s/.test(char)) return "whitespace";
  return `'${char}'`;
}

const DNS_LABEL_RULE =
  "lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";

export const FORMATS = {
  dnsLabel: {
    pattern: DNS1123_LABEL_PATTERN,
    name: "a DNS-1123 label",
    expected: DNS_LABEL_RULE,
    chars: DNS1123_LABEL_CHAR,
    reasons: dns1123LabelShapeProblems,
    fix: toDns1123Label,
  },
  dnsSubdomain: {
    pattern: DNS1123_SUBDOMAIN_PATTERN,
    name: "a DNS-1123 subdomain",
    expected:
      "lowercase letters, digits, '-' and '.', each dot-separated part starting and ending with a letter or digit, at most 253 characters",
    chars: DNS1123_SUBDOMAIN_CHAR,
    reasons: dns1123SubdomainShapeProblems,
    fix: toDns1123Subdomain,
  },
  clusterName: {
    pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]*$",
    name: "a cluster name",
    expected: "letters, digits, '_', '.' and '-', starting with a letter or digit, at most 100 characters",
    chars: /[A-Za-z0-9_.-]/,
    reasons: (value) => (/^[_.-]/.test(value) ? [`it starts with ${quoteChar(value[0] ?? "")}`] : []),
    fix: (value) => value.replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^[_.-]+/, "") || undefined,
  },
  resourceGroup: {
    pattern: "^[-\\w._()]+$",
    name: "an Azure resource group name",
    expected: "letters, digits, '_', '-', '.', '(' and ')', at most 90 characters",
    chars: /[-\w.()]/,
  },
  subscription: {
    pattern: "^[A-Za-z0-9][A-Za-z0-9 _.-]*$",
    name: "an Azure subscription id or name",
    expected: "letters, digits, spaces, '_', '.' and '-', starting with a letter or digit",
    chars: /[A-Za-z0-9 _.-]/,
  },
  guid: {
    pattern: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
    name: "an object id",
    expected: "a GUID: 8-4-4-4-12 hexadecimal digits, e.g. 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
  },
  awsRegion: {
    pattern: "^[a-z]{2,4}(-[a-z]+)+-\\d+$",
    name: "an AWS region",
    expected: "a region code such as eu-west-1 or us-gov-west-1",
    fix: (value) => {
      const fixed = value.trim().toLowerCase().replace(/_/g, "-");
      return /^[a-z]{2,4}(-[a-z]+)+-\d+$/.test(fixed) ? fixed : undefined;
    },
  },
  awsAccountId: {
    pattern: "^\\d{12}$",
    name: "an AWS account id",
    expected: 'exactly 12 digits, quoted ("123456789012")',
    fix: (value) => {
      const digits = value.replace(/[\s-]/g, "");
      return /^\d{12}$/.test(digits) ? digits : undefined;
    },
  },
  iamRole: {
    pattern: "^(arn:aws[a-z-]*:iam::\\d{12}:role/([\\w+=,.@-]+/)*)?[\\w+=,.@-]{1,64}$",
    name: "an IAM role name or ARN",
    expected:
      "a role name (at most 64 letters, digits and '+=,.@_-') or its ARN, arn:aws:iam::ACCOUNT:role/PATH/NAME",
  },
  gcpProject: {
    pattern: "^[a-z][a-z0-9-]{4,28}[a-z0-9]$",
    name: "a Google Cloud project id",
    expected: "6 to 30 lowercase letters, digits and '-', starting with a letter and not ending with '-'",
    chars: /[a-z0-9-]/,
    fix: (value) => {
      const fixed = value.trim().toLowerCase().replace(/_/g, "-");
      return /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(fixed) ? fixed : undefined;
    },
  },
  email: {
    pattern: "^[^@\\s]+@[^@\\s]+$",
    name: "an email address",
    expected: "NAME@DOMAIN, e.g. gke-nodes@my-project.iam.gserviceaccount.com",
  },
  registryHost: {
    pattern: "^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\\d{1,5})?$",
    name: "a registry host",
    expected: "host[:port] without a scheme or path, e.g. harbor.example.com or registry.example.com:5000",
    fix: (value) => {
      const fixed = value
        .trim()
        .replace(/^[a-z][a-z0-9+.-]*:\/\//i, "")
        .replace(/\/.*$/, "")
        .toLowerCase();
      return /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/.test(fixed) ? fixed : undefined;
    },
  },
  acrName: {
    pattern: "^[A-Za-z0-9]{5,50}$",
    name: "an Azure Container Registry name",
    expected: "5 to 50 letters and digits, without .azurecr.io",
    chars: /[A-Za-z0-9]/,
    reasons: (value) => (value.length < 5 || value.length > 50 ? [`it has ${value.length} characters`] : []),
    fix: (value) => {
      const fixed = value
        .trim()
        .replace(/\.azurecr\.[a-z]+$/i, "")
        .replace(/[^A-Za-z0-9]/g, "");
      return /^[A-Za-z0-9]{5,50}$/.test(fixed) ? fixed : undefined;
    },
  },
  acrResourceId: {
    pattern:
      "^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\\.ContainerRegistry/registries/[^/]+$",
    name: "an Azure Container Registry resource id",
    expected:
      "/subscriptions/ID/resourceGroups/GROUP/providers/Microsoft.ContainerRegistry/registries/NAME (az acr show --name NAME --query id)",
  },
  githubOwner: {
    pattern: "^[A-Za-z0-9]([A-Za-z0-9-]{0,38})$",
    name: "a GitHub user or organisation name",
    expected: "at most 39 letters, digits and '-', starting with a letter or digit",
    chars: /[A-Za-z0-9-]/,
    fix: (value) => {
      const fixed = value
        .trim()
        .replace(/^(https?:\/\/)?ghcr\.io\//i, "")
        .replace(/\/.*$/, "");
      return /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/.test(fixed) ? fixed : undefined;
    },
  },
  username: {
    pattern: "^[^:\\s]+$",
    name: "a registry username",
    expected:
      "no ':' and no whitespace (the registry's Basic auth splits user and password at the first ':')",
    reasons: (value) => [
      ...(value.includes(":") ? ["it has ':'"] : []),
      ...(/\s/.test(value) ? ["it has whitespace"] : []),
    ],
  },
  envName: {
    pattern: "^[A-Za-z_][A-Za-z0-9_]*$",
    name: "an environment variable name",
    expected: "letters, digits and '_', not starting with a digit (the name, not $NAME or its value)",
    chars: /[A-Za-z0-9_]/,
    reasons: (value) => (/^\d/.test(value) ? ["it starts with a digit"] : []),
    fix: (value) => {
      const fixed = value
        .trim()
        .replace(/^\$\{?/, "")
        .replace(/\}$/, "")
        .replace(/[^A-Za-z0-9_]/g, "_");
      return /^[A-Za-z_][A-Za-z0-9_]*$/.test(fixed) ? fixed : undefined;
    },
  },
  date: {
    pattern: "^\\d{4}-\\d{2}-\\d{2}$",
    name: "a date",
    expected: 'YYYY-MM-DD, quoted, e.g. "2026-12-31"',
  },
} as const satisfies Record<string, StringFormat>;

const BY_PATTERN = new Map<string, StringFormat>(Object.values(FORMATS).map((f) => [f.pattern, f]));

/** The format a schema pattern belongs to (every pattern of the layout schema has one: a test checks it). */
export function formatOfPattern(pattern: string): StringFormat | undefined {
  return BY_PATTERN.get(pattern);
}

function joinAnd(words: readonly string[]): string {
  return words.length <= 1
    ? words.join("")
    : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

/** Why `value` does not match `format`: its characters the format does not allow, and the format's own reasons. */
function reasonsFor(format: StringFormat, value: string): string[] {
  const reasons: string[] = [];
  if (format.chars) {
    const bad: string[] = [];
    let uppercase = false;
    for (const char of new Set(value)) {
      if (format.chars.test(char)) continue;
      if (/[A-Z]/.test(char) && format.chars.test(char.toLowerCase())) uppercase = true;
      else bad.push(quoteChar(char));
    }
    const named = [...(uppercase ? ["uppercase letters"] : []), ...new Set(bad)];
    if (named.length > 0) reasons.push(`it has ${joinAnd(named)}`);
  }
  for (const reason of format.reasons?.(value) ?? []) if (!reasons.includes(reason)) reasons.push(reason);
  return reasons;
}

/**
 * A value that does not match its format, explained: `"Tools_NS" is not a DNS-1123 label (it has uppercase
 * letters and '_'): expected ...`, and as hint the corrected value where one can be derived.
 */
export function explainMismatch(
  format: StringFormat,
  value: string,
  shown: string = JSON.stringify(value),
): { message: string; fixed?: string } {
  const reasons = reasonsFor(format, value);
  const fixed = format.fix?.(value);
  return {
    message: `${shown} is not ${format.name}${reasons.length > 0 ? ` (${reasons.join("; ")})` : ""}: expected ${format.expected}`,
    ...(fixed !== undefined && fixed !== value ? { fixed } : {}),
  };
}

/** Whether `value` matches `format`. */
export function matchesFormat(format: StringFormat, value: string): boolean {
  return new RegExp(format.pattern).test(value);
}

/**
 * One line for a value given on the command line or at a prompt, or undefined when it is valid (`maxLength`:
 * the schema's limit, where it has one): the explanation and, where one can be derived, the corrected value.
 */
export function formatMismatch(format: StringFormat, value: string, maxLength?: number): string | undefined {
  if (matchesFormat(format, value)) {
    if (maxLength === undefined || value.length <= maxLength) return undefined;
    return `${JSON.stringify(value)} is ${value.length} characters long, over the limit of ${maxLength} for ${format.name}`;
  }
  const { message, fixed } = explainMismatch(format, value);
  return fixed === undefined ? message : `${message}; did you mean ${JSON.stringify(fixed)}?`;
}
