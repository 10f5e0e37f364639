/**
 * Verify before swap: is a candidate credential accepted by its registry? The access engine of `check`
 * (src/registry), never a second implementation:
 * - with `verify.image`: kubelet's keychain over the candidate's entries and `checkImages`, so the entry kubelet
 *   would pick for that image is the one checked, through the manifest HEAD;
 * - without: the registry's ping for each registry of the candidate, i.e. the handshake (`GET /v2/`, Basic or a
 *   Bearer token) on a probe repository. A credential the registry rejects answers `unauthorized`; a
 *   `not-found` or `denied` on the probe repository means the registry authenticated it (it then had no say on
 *   a repository that does not exist), so those count as accepted. Anything else (TLS, network, 5xx) is not a
 *   verdict on the credential: it is a failure to verify, and nothing is swapped.
 * Messages come from the engine's results: redacted, never a value.
 */
import { buildDockerConfigFromAuths, parseDockerConfigText } from "../dockerconfig/index.js";
import { parseNormalizedReference, withDefaultTag } from "../reference/index.js";
import { checkAccess, checkImages, pullSecretKeychain } from "../registry/index.js";
import type { AccessResult, Transport, TransportOptions } from "../registry/index.js";
import type { VerifySpec } from "../desired/index.js";
import type { Candidate } from "./credential-state.js";

/** The repository the ping check asks for: it need not exist. */
export const PING_PROBE_REPOSITORY = "pullwarden/verify-probe";

export type VerifyResult = { readonly ok: true } | { readonly ok: false; readonly message: string };

export interface VerifyOptions extends TransportOptions {
  readonly plainHttp?: boolean;
  readonly transport?: Transport;
  readonly now?: () => Date;
}

const PING_ACCEPTED = new Set<AccessResult["outcome"]>(["ok", "not-found", "denied"]);

function failed(result: AccessResult): VerifyResult {
  return { ok: false, message: `${result.registry}: ${result.outcome}: ${result.message}` };
}

/** `https://index.docker.io/v1/` → `index.docker.io`; `host:5000` stays. */
function registryHostOf(key: string): string {
  try {
    return new URL(key.includes("://") ? key : `https://${key}`).host || key;
  } catch {
    return key;
  }
}

export async function verifyCandidate(
  candidate: Candidate,
  spec: VerifySpec | undefined,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  if (spec?.image !== undefined) {
    let reference;
    try {
      reference = withDefaultTag(parseNormalizedReference(spec.image));
    } catch (error) {
      return { ok: false, message: `verify.image: ${(error as Error).message}` };
    }
    const payload = buildDockerConfigFromAuths(candidate.entries, { source: "candidate" });
    const config = parseDockerConfigText(payload, { source: "candidate", format: "dockerconfigjson" });
    const keychain = pullSecretKeychain([{ label: "candidate", config }]);
    const [report] = await checkImages([{ reference }], keychain, options);
    if (!report) return { ok: false, message: "verify.image: no result" };
    return report.result.outcome === "ok" ? { ok: true } : failed(report.result);
  }
  for (const entry of candidate.entries) {
    const credential =
      entry.username !== undefined && entry.password !== undefined
        ? { username: entry.username, password: entry.password }
        : entry.identityToken !== undefined
          ? { identityToken: entry.identityToken, ...(entry.username ? { username: entry.username } : {}) }
          : undefined;
    const result = await checkAccess({
      ...options,
      image: { domain: registryHostOf(entry.key), path: PING_PROBE_REPOSITORY, tag: "latest" },
      ...(credential ? { credential } : {}),
    });
    if (!PING_ACCEPTED.has(result.outcome)) return failed(result);
  }
  return { ok: true };
}
