/**
 * `pullwarden credential-provider exec`: what kubelet does for one image with a CredentialProviderConfig
 * (plugin.go: `isImageAllowed`, the ServiceAccount gating of KEP-4412, `ExecPlugin`, the response checks, then the
 * keyring lookup of the returned `auth`), with every step traced and every secret redacted. Runs the provider
 * binaries through the bounded runner port; the rest is pure.
 */
import { join } from "node:path";
import { lookupCredentials, urlsMatch } from "../dockerconfig/index.js";
import { formatDuration } from "../duration.js";
import type { RunProcess } from "../process/bounded-exec.js";
import { describeAbnormalEnd, stderrForDisplay } from "../process/bounded-exec.js";
import { redactSecret } from "../tokens/index.js";
import type { DecodedProvider } from "./kubelet-config.js";
import { readResponseAsKubelet } from "./decode-response.js";
import { REQUEST_KIND } from "./protocol.js";

/** kubelet's hard limit on one exec (plugin.go ExecPlugin). */
export const KUBELET_EXEC_TIMEOUT_MS = 60_000;
const MAX_RESPONSE_BYTES = 1024 * 1024;

export interface SimulationInput {
  readonly image: string;
  readonly providers: readonly DecodedProvider[];
  readonly binDir: string;
  /** The Pod's ServiceAccount token (as kubelet would request it for the provider's audience). */
  readonly serviceAccountToken?: string;
  readonly serviceAccountAnnotations?: Readonly<Record<string, string>>;
  /** kubelet's own environment, which the provider's `env` extends. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly run: RunProcess;
  readonly timeoutMs?: number;
}

export interface TraceStep {
  readonly provider?: string;
  readonly message: string;
}

export interface SimulatedCredential {
  readonly provider: string;
  readonly key: string;
  readonly username: string;
  /** The password itself: renderers redact it unless asked to show it. */
  readonly password: string;
}

export interface Simulation {
  readonly trace: readonly TraceStep[];
  /** What kubelet would hand the runtime, in the order it tries them. */
  readonly credentials: readonly SimulatedCredential[];
}

function redactRequest(request: Record<string, unknown>): string {
  const shown = { ...request };
  if (typeof shown["serviceAccountToken"] === "string")
    shown["serviceAccountToken"] = redactSecret(shown["serviceAccountToken"]);
  return JSON.stringify(shown);
}

function redactAuth(auth: Readonly<Record<string, { username: string; password: string }>>): string {
  return JSON.stringify(
    Object.fromEntries(
      Object.entries(auth).map(([key, value]) => [
        key,
        { username: value.username, password: redactSecret(value.password) },
      ]),
    ),
  );
}

export async function simulateKubelet(input: SimulationInput): Promise<Simulation> {
  const trace: TraceStep[] = [];
  const credentials: SimulatedCredential[] = [];
  const note = (message: string, provider?: string): void => {
    trace.push({ ...(provider !== undefined ? { provider } : {}), message });
  };
  const secrets = input.serviceAccountToken ? [input.serviceAccountToken] : [];
  const displayLine = (text: string): string =>
    secrets
      .reduce((line, secret) => line.split(secret).join("<redacted>"), text)
      .replace(/\s+/g, " ")
      .trim();

  for (const { provider } of input.providers) {
    const name = provider.name;
    const pattern = provider.matchImages.find((glob) => urlsMatch(glob, input.image));
    if (pattern === undefined) {
      note(`not run: no matchImages entry matches ${input.image} (${provider.matchImages.join(", ")})`, name);
      continue;
    }
    note(`matchImages ${JSON.stringify(pattern)} matches ${input.image}`, name);
    const request: Record<string, unknown> = {
      kind: REQUEST_KIND,
      apiVersion: provider.apiVersion,
      image: input.image,
    };
    const token = provider.tokenAttributes;
    if (token) {
      if (input.serviceAccountToken === undefined) {
        if (token.requireServiceAccount) {
          note(
            "not run: requireServiceAccount is true and the Pod has no ServiceAccount token (--sa-token)",
            name,
          );
          continue;
        }
      } else {
        const required = token.requiredServiceAccountAnnotationKeys ?? [];
        const missing = required.filter((key) => input.serviceAccountAnnotations?.[key] === undefined);
        if (missing.length > 0) {
          note(
            `not run: the ServiceAccount lacks required annotation ${missing.join(", ")} (kubelet logs this at -v=5 only)`,
            name,
          );
          continue;
        }
        request["serviceAccountToken"] = input.serviceAccountToken;
        const listed = [...required, ...(token.optionalServiceAccountAnnotationKeys ?? [])];
        const annotations = Object.fromEntries(
          listed.flatMap((key) => {
            const value = input.serviceAccountAnnotations?.[key];
            return value === undefined ? [] : [[key, value]];
          }),
        );
        if (Object.keys(annotations).length > 0) request["serviceAccountAnnotations"] = annotations;
        note(
          `ServiceAccount token for audience ${JSON.stringify(token.serviceAccountTokenAudience ?? "")}, cacheType ${token.cacheType ?? "(unset)"}`,
          name,
        );
      }
    }
    const binary = join(input.binDir, name);
    note(
      `exec ${binary}${provider.args?.length ? ` ${provider.args.join(" ")}` : ""} <<< ${redactRequest(request)}`,
      name,
    );
    const env = { ...input.env, ...Object.fromEntries((provider.env ?? []).map((v) => [v.name, v.value])) };
    let run;
    try {
      run = await input.run(binary, provider.args ?? [], {
        env,
        stdin: JSON.stringify(request),
        timeoutMs: input.timeoutMs ?? KUBELET_EXEC_TIMEOUT_MS,
        maxStdoutBytes: MAX_RESPONSE_BYTES,
      });
    } catch (error) {
      note(
        `failed to start (${(error as NodeJS.ErrnoException).code ?? "error"}); kubelet refuses to start when a provider binary is missing`,
        name,
      );
      continue;
    }
    if (run.outcome !== "exited") {
      note(`failed: ${describeAbnormalEnd(run)}; kubelet goes on without its credentials`, name);
      continue;
    }
    if (run.exitCode !== 0) {
      const said = stderrForDisplay(run.stderr, { stdout: run.stdout, displayLine });
      note(
        `failed: exit status ${run.exitCode}${said ? `: ${said}` : ""}; kubelet goes on without its credentials`,
        name,
      );
      continue;
    }
    const reading = readResponseAsKubelet(run.stdout, provider.apiVersion);
    if (!reading.ok) {
      note(`response dropped: ${reading.reason}`, name);
      continue;
    }
    const { response } = reading;
    if (
      token &&
      token.cacheType !== "Token" &&
      input.serviceAccountToken !== undefined &&
      Object.values(response.auth).some((credential) => credential.password === input.serviceAccountToken)
    ) {
      note(
        "response dropped: a password is the ServiceAccount token, which kubelet allows only with cacheType Token",
        name,
      );
      continue;
    }
    const duration =
      response.cacheDurationMs === undefined
        ? `none (defaultCacheDuration ${provider.defaultCacheDuration ?? "?"})`
        : response.cacheDurationMs === 0
          ? "0 (not cached)"
          : formatDuration(response.cacheDurationMs);
    note(
      `response: cacheKeyType ${response.cacheKeyType}, cacheDuration ${duration}, auth ${redactAuth(response.auth)}`,
      name,
    );
    const entries = Object.entries(response.auth).map(([key, value]) => ({ key, ...value }));
    const found = lookupCredentials(entries, input.image);
    if (!found.ok) {
      note(`the image is not a valid reference: ${found.reason}`, name);
      continue;
    }
    if (found.matches.length === 0) {
      note(
        `no auth key matches ${found.normalizedImage}: kubelet hands the runtime nothing from this provider`,
        name,
      );
      continue;
    }
    for (const match of found.matches) {
      credentials.push({
        provider: name,
        key: match.key,
        username: match.entry.username,
        password: match.entry.password,
      });
    }
    note(
      `kubelet tries ${found.matches.map((match) => JSON.stringify(match.key)).join(", ")} for ${found.normalizedImage}`,
      name,
    );
  }
  if (input.providers.length === 0) note("the config has no providers");
  return { trace, credentials };
}
