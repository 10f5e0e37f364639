// Every audit rule, in id order. Each rule lives in its own file with its id, severity, explanation and fix;
// its documentation page is docs/audit/<ID>.md.
import type { Rule } from "../context.js";
import { SUPPRESSION_RULE } from "../suppress.js";
import type { RuleMeta } from "../types.js";
import { rule as pw101 } from "./pw101-pull-secret-missing.js";
import { rule as pw102 } from "./pw102-pull-secret-wrong-type.js";
import { rule as pw103 } from "./pw103-pull-secret-malformed.js";
import { rule as pw104 } from "./pw104-pull-secret-matches-no-image.js";
import { rule as pw105 } from "./pw105-image-without-pull-path.js";
import { rule as pw106 } from "./pw106-image-pull-path-broken.js";
import { rule as pw107 } from "./pw107-serviceaccount-pull-secrets-ignored.js";
import { rule as pw108 } from "./pw108-image-reference-invalid.js";
import { rule as pw201 } from "./pw201-credential-expired.js";
import { rule as pw202 } from "./pw202-credential-rejected-by-registry.js";
import { rule as pw203 } from "./pw203-credential-short-lived-static.js";
import { rule as pw204 } from "./pw204-credential-long-lived.js";
import { rule as pw301 } from "./pw301-pull-secret-in-default-namespace.js";
import { rule as pw302 } from "./pw302-credential-copied-across-namespaces.js";
import { rule as pw303 } from "./pw303-repeated-pod-pull-secrets.js";
import { rule as pw401 } from "./pw401-credential-in-plain-text.js";
import { rule as pw501 } from "./pw501-rbac-secret-read-access.js";
import { rule as pw502 } from "./pw502-encryption-secrets-plaintext.js";
import { rule as pw601 } from "./pw601-pod-pull-secrets-stale.js";
import { rule as pw602 } from "./pw602-pull-secret-unused.js";

export const RULES: readonly Rule[] = [
  pw101,
  pw102,
  pw103,
  pw104,
  pw105,
  pw106,
  pw107,
  pw108,
  pw201,
  pw202,
  pw203,
  pw204,
  pw301,
  pw302,
  pw303,
  pw401,
  pw501,
  pw502,
  pw601,
  pw602,
];

/** Every rule's documentation, the suppression check (PW901) included. */
export const RULE_CATALOG: readonly RuleMeta[] = [...RULES.map((rule) => rule.meta), SUPPRESSION_RULE];

/** Finds a rule by id (`PW105`) or name (`image-without-pull-path`), case-insensitively for ids. */
export function findRule(idOrName: string): RuleMeta | undefined {
  const wanted = idOrName.trim();
  return RULE_CATALOG.find((meta) => meta.id === wanted.toUpperCase() || meta.name === wanted);
}
