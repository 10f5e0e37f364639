/**
 * `apply --diff`: what would change, redacted. Secret data is described by registry (added, removed,
 * credentials changed or unchanged), never by value; ServiceAccount entries are names, which are not secret.
 */
import { MANAGED_BY_LABEL_KEY, MANAGED_BY_LABEL_VALUE } from "../desired/index.js";
import { parseDockerConfigText, redactKey } from "../dockerconfig/index.js";
import { DOCKER_CONFIG_JSON_KEY, DOCKER_CONFIG_JSON_TYPE } from "../manifest/index.js";
import type { Action } from "./model.js";

interface Entry {
  readonly key: string;
  readonly fingerprint: string;
}

function entries(payload: string | undefined): Entry[] {
  if (payload === undefined) return [];
  const parsed = parseDockerConfigText(payload, { source: "secret", format: "dockerconfigjson" });
  return parsed.entries.map((entry) => ({
    key: entry.key,
    // Compared, never shown.
    fingerprint: JSON.stringify([
      entry.username,
      entry.password,
      entry.auth,
      entry.email,
      entry.identityToken,
      entry.registryToken,
    ]),
  }));
}

/** Lines describing how the registries of a payload change. */
export function describePayloadChange(before: string | undefined, after: string): string[] {
  const old = new Map(entries(before).map((e) => [e.key, e.fingerprint]));
  const next = entries(after);
  const lines: string[] = [];
  for (const entry of next) {
    const previous = old.get(entry.key);
    // Keys are shown through the one key redaction: a `user:password@` in a key is a leaked credential.
    const shown = redactKey(entry.key);
    if (previous === undefined) lines.push(`    + ${shown} (added)`);
    else if (previous !== entry.fingerprint) lines.push(`    ~ ${shown} (credentials changed)`);
    else lines.push(`      ${shown} (unchanged)`);
    old.delete(entry.key);
  }
  for (const key of old.keys()) lines.push(`    - ${redactKey(key)} (removed)`);
  return lines;
}

function list(names: readonly string[]): string {
  return `[${names.join(", ")}]`;
}

/** The diff of the write actions, in action order; "" when nothing would change. */
export function renderDiff(actions: readonly Action[]): string {
  const out: string[] = [];
  for (const action of actions) {
    const where = `${action.namespace}/${action.object.slice(action.object.indexOf("/") + 1)}`;
    switch (action.type) {
      case "create-secret": {
        out.push(`+++ secret ${where} (create)`);
        out.push(`  + type: ${DOCKER_CONFIG_JSON_TYPE}`);
        out.push(`  + label ${MANAGED_BY_LABEL_KEY}=${MANAGED_BY_LABEL_VALUE}`);
        out.push(`  + data[${DOCKER_CONFIG_JSON_KEY}]: (value hidden)`);
        out.push(...describePayloadChange(undefined, action.payload));
        break;
      }
      case "update-secret": {
        out.push(`~~~ secret ${where} (${action.adopt ? "adopt" : "update"})`);
        if (action.adopt) {
          const from = action.previousManager ? ` (was ${action.previousManager})` : "";
          out.push(`  ~ label ${MANAGED_BY_LABEL_KEY}=${MANAGED_BY_LABEL_VALUE}${from}`);
        }
        if (action.dataChanged) {
          out.push(`  ~ data[${DOCKER_CONFIG_JSON_KEY}]: changed (values hidden)`);
          out.push(...describePayloadChange(action.previousPayload, action.payload));
        } else {
          out.push(`    data[${DOCKER_CONFIG_JSON_KEY}]: unchanged`);
        }
        break;
      }
      case "bind":
      case "unbind":
        out.push(`~~~ serviceaccount ${where} (imagePullSecrets)`);
        out.push(`  - imagePullSecrets: ${list(action.before)}`);
        out.push(`  + imagePullSecrets: ${list(action.after)}`);
        break;
      case "delete-secret":
        out.push(`--- secret ${where} (delete: owned by pullwarden, no longer wanted)`);
        break;
      case "restart-pod":
        out.push(
          `--- pod ${where} (delete: stuck in ${action.reason}; ${action.controller} recreates it with ${action.secretName})`,
        );
        break;
      default:
        break;
    }
  }
  return out.length > 0 ? `${out.join("\n")}\n` : "";
}
