/**
 * What the controller accepts of a custom resource read from the cluster. The CRD schema makes the API server
 * refuse malformed specs, but an object stored under an older schema, or written while the CRD was being
 * replaced, can still arrive: one malformed object must not stop the controller for every other one. Each
 * problem is one line naming the field; an object with problems is reported (Ready=False, InvalidSpec) and
 * otherwise ignored.
 */
import type { ClusterPullCredential, ClusterPullSecretBinding } from "../desired/index.js";
import { labelSelectorProblems } from "../kube-model/label-selector.js";
import type { LabelSelector } from "../kube-model/index.js";

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === "string" && v !== "";
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);

export function credentialProblems(object: ClusterPullCredential): string[] {
  const spec: unknown = object.spec;
  if (!isObject(spec)) return ["spec: missing"];
  const source = spec["source"];
  if (!isObject(source)) return ["spec.source: missing"];
  const kinds = ["static", "ecr", "acr"].filter((k) => source[k] !== undefined);
  if (kinds.length !== 1) return [`spec.source: exactly one of static, ecr, acr (found ${kinds.length})`];
  const problems: string[] = [];
  const chosen = source[kinds[0] as string];
  if (kinds[0] === "static") {
    const ref = isObject(chosen) ? chosen["secretRef"] : undefined;
    if (!isObject(ref) || !isString(ref["name"])) problems.push("spec.source.static.secretRef.name: missing");
  } else if (!isObject(chosen) || !isString(chosen["registry"])) {
    problems.push(`spec.source.${kinds[0] as string}.registry: missing`);
  }
  if (spec["refresh"] !== undefined && !isObject(spec["refresh"]))
    problems.push("spec.refresh: not an object");
  const verify = spec["verify"];
  if (
    verify !== undefined &&
    (!isObject(verify) || (verify["image"] !== undefined && !isString(verify["image"])))
  )
    problems.push("spec.verify.image: not a string");
  return problems;
}

export function bindingProblems(object: ClusterPullSecretBinding): string[] {
  const spec: unknown = object.spec;
  if (!isObject(spec)) return ["spec: missing"];
  const problems: string[] = [];
  if (!isStringArray(spec["credentials"]) || spec["credentials"].length === 0)
    problems.push("spec.credentials: a list of ClusterPullCredential names is required");
  if (!isString(spec["secretName"])) problems.push("spec.secretName: missing");
  const namespaces = spec["namespaces"];
  if (!isObject(namespaces)) {
    problems.push("spec.namespaces: missing");
  } else {
    if (namespaces["names"] !== undefined && !isStringArray(namespaces["names"]))
      problems.push("spec.namespaces.names: not a list of names");
    const selector = namespaces["selector"];
    if (selector !== undefined) {
      if (!isObject(selector)) problems.push("spec.namespaces.selector: not a label selector");
      else if (
        (selector["matchLabels"] !== undefined &&
          (!isObject(selector["matchLabels"]) ||
            !Object.values(selector["matchLabels"]).every((v) => typeof v === "string"))) ||
        (selector["matchExpressions"] !== undefined && !Array.isArray(selector["matchExpressions"]))
      )
        problems.push("spec.namespaces.selector: not a label selector");
      else
        problems.push(
          ...labelSelectorProblems(selector as LabelSelector).map((p) => `spec.namespaces.selector.${p}`),
        );
    }
  }
  if (spec["serviceAccounts"] !== undefined && !isStringArray(spec["serviceAccounts"]))
    problems.push("spec.serviceAccounts: not a list of names");
  if (spec["restartStuckPods"] !== undefined && typeof spec["restartStuckPods"] !== "boolean")
    problems.push("spec.restartStuckPods: not true or false");
  return problems;
}
