// PW101: an imagePullSecrets entry (of a Pod spec or a ServiceAccount) names a Secret that is not in the namespace.
import type { Rule, RuleContext } from "../context.js";
import type { GraphObject, PodSource } from "../graph.js";
import { nsKey } from "../graph.js";
import {
  DNS1123_SUBDOMAIN_CHAR,
  DNS1123_SUBDOMAIN_MAX_LENGTH,
  isDns1123Subdomain,
  toDns1123Subdomain,
} from "../../kube-model/index.js";
import { shQuote } from "../../text/index.js";
import { arr, describeRef, isRecord, safeName, str } from "../objects.js";
import type { FieldPath, RuleMeta, Severity } from "../types.js";

export const meta: RuleMeta = {
  id: "PW101",
  name: "pull-secret-missing",
  title: "Referenced pull secret is missing from the namespace",
  severity: "error",
  explanation:
    "imagePullSecrets name Secrets in the Pod's own namespace. kubelet skips a name it cannot find (since 1.28 with a FailedToRetrieveImagePullSecret event) and pulls with whatever is left, usually anonymously, so a private image fails with ErrImagePull. A Secret of the same name in another namespace does not help: Pods can only use their own namespace's Secrets. ServiceAccount references behave the same for every Pod admitted with that ServiceAccount.",
  fix: "Create the Secret in the Pod's namespace (pullwarden apply NAME -n NAMESPACE --docker-server=REGISTRY --docker-username=USER --docker-password-stdin), or correct the name in imagePullSecrets. A name that is not a valid Secret name (uppercase letters, underscores) can never resolve: correct it to a valid one.",
  tags: ["pull-path", "imagePullSecrets"],
};

interface Reference {
  readonly object: GraphObject;
  readonly namespace: string;
  readonly name: string;
  readonly field: FieldPath;
  readonly from: string;
}

function severityFor(
  context: RuleContext,
  reference: Reference,
  elsewhere: readonly GraphObject[],
): Severity {
  if (context.options.mode === "cluster" && !context.options.incompleteKinds.has("Secret")) return "error";
  // In files a Secret may be created separately; it is certainly missing when the name cannot exist or when a
  // Secret of that name sits in another namespace of the same input (the classic copy-paste mistake).
  if (!isDns1123Subdomain(reference.name) || elsewhere.length > 0) return "error";
  return "warning";
}

function check(context: RuleContext, reference: Reference): void {
  const { graph } = context;
  if (reference.name === "") {
    context.report(meta, {
      severity: "warning",
      message: `${reference.from} has an imagePullSecrets entry without a name; kubelet skips it`,
      fix: "Remove the empty entry or give it the name of the pull secret.",
      object: reference.object,
      field: reference.field,
      subject: `${reference.field.join(".")}`,
    });
    return;
  }
  if (graph.secrets.has(nsKey(reference.namespace, reference.name))) return;
  const elsewhere = (graph.secretsByName.get(reference.name) ?? []).filter(
    (secret) => secret.ref.namespace !== reference.namespace,
  );
  const name = JSON.stringify(safeName(reference.name));
  const invalid = secretNameProblem(reference.name);
  let message = `${reference.from} names pull secret ${name}, which is not in namespace ${reference.namespace}`;
  if (invalid !== undefined) {
    message += ` (and cannot be: ${name} is not a valid Secret name, ${invalid})`;
  } else if (elsewhere.length > 0) {
    const others = elsewhere.map((secret) => secret.ref.namespace).slice(0, 5);
    message += `; a Secret of that name exists in ${others.length === 1 ? "namespace" : "namespaces"} ${others.join(", ")}, but Pods can only use their own namespace's Secrets`;
  } else if (context.options.mode === "files") {
    message +=
      " (not among the audited objects; if it is created separately, audit the cluster with --cluster to be sure)";
  } else if (context.options.incompleteKinds.has("Secret")) {
    message += " (or it exists, but Secrets could not be listed there)";
  }
  context.report(meta, {
    severity: severityFor(context, reference, elsewhere),
    message,
    fix:
      invalid !== undefined
        ? invalidNameFix(context, reference, invalid)
        : `Create pull secret ${name} in namespace ${reference.namespace} (${createCommand(reference.name, reference.namespace)}), or correct the name.`,
    object: reference.object,
    field: reference.field,
    subject: `secret:${reference.name}`,
    related: elsewhere.map((secret) => ({ object: secret })),
    properties: { secret: safeName(reference.name) },
  });
}

/** The command that puts a pull secret into a namespace; names from the input are shell-quoted. */
function createCommand(name: string, namespace: string): string {
  return `pullwarden apply ${shQuote(name)} -n ${shQuote(namespace)} --docker-server=REGISTRY --docker-username=USER --docker-password-stdin`;
}

/** No Secret can have the referenced name: say why, and point at a valid name (the Secret's, if it exists). */
function invalidNameFix(context: RuleContext, reference: Reference, problem: string): string {
  const name = JSON.stringify(safeName(reference.name));
  const valid = toDns1123Subdomain(reference.name);
  const why = `${name} can never be a Secret's name (${problem}; a Secret name is a lowercase RFC 1123 subdomain: a-z, 0-9, '-' and '.', starting and ending with a letter or digit, at most 253 characters)`;
  if (valid === undefined) return `Correct the name in imagePullSecrets: ${why}.`;
  if (context.graph.secrets.has(nsKey(reference.namespace, valid)))
    return `Correct the name in imagePullSecrets to ${valid}, the Secret in namespace ${reference.namespace}: ${why}.`;
  return `Correct the name in imagePullSecrets to a valid one such as ${valid}, and create that Secret if it is missing (${createCommand(valid, reference.namespace)}): ${why}.`;
}

function podReferences(pod: PodSource): Reference[] {
  const from = describeRef(pod.owner.ref);
  return pod.pullSecrets.map((ref) => ({
    object: pod.owner,
    namespace: pod.namespace,
    name: ref.name,
    field: [...pod.specPath, "imagePullSecrets", ref.index, ...(ref.name === "" ? [] : ["name"])],
    from,
  }));
}

export const rule: Rule = {
  meta,
  check(context) {
    for (const pod of context.graph.podSources) {
      if (pod.controlled) continue;
      for (const reference of podReferences(pod)) check(context, reference);
    }
    for (const sa of context.graph.serviceAccounts.values()) {
      const namespace = sa.ref.namespace ?? context.options.defaultNamespace;
      arr(sa.raw["imagePullSecrets"]).forEach((entry, index) => {
        const name = isRecord(entry) ? (str(entry["name"]) ?? "") : "";
        check(context, {
          object: sa,
          namespace,
          name,
          field: ["imagePullSecrets", index, ...(name === "" ? [] : ["name"])],
          from: `${describeRef(sa.ref)} (copied into every Pod it admits that has no imagePullSecrets)`,
        });
      });
    }
  },
};

/** Why a name cannot be a Secret's (a DNS-1123 subdomain), in a few words; undefined when it can. */
function secretNameProblem(name: string): string | undefined {
  if (isDns1123Subdomain(name)) return undefined;
  if (name.length === 0) return "it is empty";
  if (name.length > DNS1123_SUBDOMAIN_MAX_LENGTH)
    return `it is longer than ${DNS1123_SUBDOMAIN_MAX_LENGTH} characters`;
  if (/[A-Z]/.test(name)) return "it has uppercase letters";
  if ([...name].some((char) => !DNS1123_SUBDOMAIN_CHAR.test(char)))
    return "it has characters other than a-z, 0-9, '-' and '.'";
  return "each dot-separated part must start and end with a letter or digit";
}
