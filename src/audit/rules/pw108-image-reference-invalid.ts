// PW108: a container whose image kubelet refuses before any pull (InvalidImageName): empty, not a string, or not
// a valid reference (uppercase repository, two tags, a short digest).
import type { JudgedContainer, Rule } from "../context.js";
import { describeContainer, imageField } from "../context.js";
import { describeRef } from "../objects.js";
import type { RuleMeta, Severity } from "../types.js";

export const meta: RuleMeta = {
  id: "PW108",
  name: "image-reference-invalid",
  title: "Container image is not a reference kubelet accepts",
  severity: "error",
  explanation:
    "kubelet parses every image with distribution's reference grammar before it looks up credentials or pulls. A reference that does not parse (an uppercase repository such as Web, a second tag as in nginx:1.27:extra, a digest that is not 64 hex digits, surrounding spaces) never reaches the registry: the container waits with reason InvalidImageName and the Pod never starts. An empty image is refused earlier still, by the API server (image: Required value). No pull path can help such a container.",
  fix: "Write the image as [host[:port]/]path[:tag][@sha256:<64 hex digits>], with a lowercase repository path (only the registry host and the tag may contain uppercase letters); if a tool fills the image in at deploy time, audit its rendered output. pullwarden secret match IMAGE FILE parses a reference as kubelet does.",
  tags: ["image"],
};

/**
 * Images that are placeholders a tool or a person replaces before deploying: ko's import paths, `<your-image>`,
 * unexpanded `${VAR}` or `{{ .Values.image }}`. As written kubelet refuses them too, but the file is a template,
 * so they are warnings.
 */
function placeholderKind(image: string): string | undefined {
  if (image.startsWith("ko://"))
    return "a ko import path, which ko resolve or ko apply replaces at build time";
  if (/<[^>]*>/.test(image)) return "a placeholder (<...>) to be replaced before deploying";
  if (/\$\{[^}]*\}|\{\{.*\}\}/.test(image))
    return "an unexpanded template variable (envsubst, Helm or another templating tool)";
  return undefined;
}

export const rule: Rule = {
  meta,
  check(context) {
    const report = (
      judged: JudgedContainer,
      message: string,
      fix: string,
      image?: string,
      severity?: Severity,
    ) => {
      const { pod, container } = judged;
      context.report(meta, {
        message: `${describeContainer(pod, container)}: ${message}`,
        fix,
        ...(severity ? { severity } : {}),
        object: pod.owner,
        field: imageField(pod, container.group, container.index),
        subject: `${container.group}/${container.name}`,
        ...(image !== undefined ? { image } : {}),
        properties: { workload: describeRef(pod.owner.ref) },
      });
    };
    for (const judged of context.containers()) {
      const raw = judged.container.spec["image"];
      // No image field at all is how strategic-merge patches (kustomize overlays) look: not judged here.
      if (raw === undefined || raw === null) continue;
      if (typeof raw !== "string") {
        report(
          judged,
          `the image is ${Array.isArray(raw) ? "a list" : typeof raw === "object" ? "a map" : `a ${typeof raw}`}, not a string; the API server refuses the object`,
          'Quote the image so YAML reads it as a string (image: "repo:1.0").',
        );
      } else if (raw === "") {
        report(
          judged,
          "the image is empty; the API server refuses the object (image: Required value), and kubelet could not pull it (InvalidImageName)",
          "Set the image. If a tool (Helm values, kustomize images:) is meant to fill it in, that value is missing: audit the rendered output.",
          raw,
        );
      }
    }
    for (const resolved of context.images()) {
      if (resolved.invalid === undefined) continue;
      const placeholder = placeholderKind(resolved.image);
      report(
        resolved,
        placeholder
          ? `the image looks like ${placeholder}; as written, kubelet refuses it (InvalidImageName): ${resolved.invalid}`
          : `kubelet refuses the image before pulling (InvalidImageName), so the container never starts: ${resolved.invalid}`,
        placeholder
          ? "Audit the manifests the tool produces (ko resolve, envsubst, helm template ... | pullwarden audit -), or fill in the image."
          : meta.fix,
        resolved.image,
        placeholder ? "warning" : undefined,
      );
    }
  },
};
