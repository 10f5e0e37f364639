/**
 * `checkAccess`: can this credential pull this image? The real registry v2 handshake, step by step, as
 * kubelet's runtime (containerd) performs it, returning an `AccessResult` value for every expected outcome:
 *
 * 1. ping `GET /v2/`: 200 = no auth; 401 = read the `WWW-Authenticate` challenges (Bearer preferred);
 * 2. Basic (htpasswd, ECR with user `AWS`): send `Authorization: Basic` on the manifest request;
 *    Bearer: validate the realm (https, not link-local/metadata), get a token for `repository:<path>:pull`
 *    (token.ts: anonymous GET, GET+Basic+account, or OAuth2 refresh_token POST), cached and de-duplicated;
 * 3. `HEAD /v2/<path>/manifests/<tag|digest>` with the OCI + Docker manifest media types (GET when HEAD
 *    is 405/501); `Docker-Content-Digest` and `Content-Type` give the answer. A 401 to an unauthorized
 *    request with a challenge (a registry whose /v2/ is open) is answered once and retried;
 * 4. with a platform: read the index (or, for a single manifest, its config blob) and match the platform;
 * 5. a 404 for a tag/digest is told apart (repository vs tag) with `GET /v2/<path>/tags/list`.
 *
 * Only transport.ts does I/O; everything else is decided here and in the pure classify.ts.
 */
import { createHash } from "node:crypto";
import { describeChallenge, parseChallenges, preferredChallenge } from "./challenge.js";
import type { Challenge } from "./challenge.js";
import { classifyManifestAnswer } from "./classify.js";
import type { Classification } from "./classify.js";
import {
  blobUrl,
  imageString,
  manifestReference,
  manifestUrl,
  pingUrl,
  registryBaseUrl,
  registryHost,
  tagsUrl,
} from "./endpoint.js";
import { accessFix } from "./fixes.js";
import { MANIFEST_ACCEPT, baseMediaType, isImageManifestMediaType, isIndexMediaType } from "./media-types.js";
import { formatPlatform, platformMatches } from "./platform.js";
import type { Platform } from "./platform.js";
import { checkRealm } from "./realm.js";
import { redactUrl, safeSnippet } from "./redact.js";
import { hasErrorCode, parseRegistryErrors, parseRetryAfter } from "./registry-errors.js";
import {
  CONTAINERS_IMAGE_MAX_CONFIG_BYTES,
  MAX_MANIFEST_READ_BYTES,
  configTooLargeMessage,
  manifestSizeVerdict,
} from "./runtime-limits.js";
import { repositoryScope } from "./scope.js";
import { fetchToken } from "./token.js";
import type { TokenResult } from "./token.js";
import type { TokenCache } from "./token-cache.js";
import { TransportError, describeFailure } from "./transport-error.js";
import { createTransport, credentialWithheldBy, describeRedirects, headerValue } from "./transport.js";
import type { HttpMethod, Transport, TransportOptions, TransportResponse } from "./transport.js";
import type {
  AccessResult,
  AccessStep,
  AccessStepName,
  AuthMode,
  ImageTarget,
  NotFoundWhat,
  RegistryCredential,
} from "./types.js";

export interface CheckAccessOptions extends TransportOptions {
  image: ImageTarget;
  credential?: RegistryCredential;
  /** Check that the image has a manifest for this platform (e.g. the nodes' `linux/arm64`). */
  platform?: Platform;
  /** Talk plain HTTP to the registry (`--plain-http`); a Bearer realm may then be http too. */
  plainHttp?: boolean;
  /** The HTTP client; a fresh one (closed afterwards) is made from the transport options when omitted. */
  transport?: Transport;
  /** Token cache shared between checks (e.g. `checkMany`); none by default. */
  tokenCache?: TokenCache;
  now?: () => Date;
}

type ResultBaseKeys = "image" | "registry" | "fix" | "steps" | "blurred";
type Fields<R extends AccessResult> = R extends AccessResult
  ? Omit<R, ResultBaseKeys> & { blurred?: boolean }
  : never;

interface Ctx {
  image: ImageTarget;
  imageText: string;
  registry: string;
  base: string;
  path: string;
  ref: string;
  refKind: "tag" | "digest";
  credential: RegistryCredential | undefined;
  platform: Platform | undefined;
  plainHttp: boolean;
  transport: Transport;
  cache: TokenCache | undefined;
  now: () => Date;
  steps: AccessStep[];
  /** Notes found on the way (e.g. a manifest only some runtimes accept), added to the result's note. */
  notes: string[];
}

interface Authorization {
  header?: string;
  auth: AuthMode;
}

function makeResult<R extends AccessResult>(ctx: Ctx, fields: Fields<R>): R {
  const f = fields as Fields<AccessResult> & { reason?: string; what?: string; auth?: AuthMode };
  let key: string | undefined = f.reason ?? f.what;
  if (f.outcome === "ok" && (f.auth === "none" || f.auth === "anonymous-token")) key = "anonymous";
  const { outcome, ...rest } = f;
  const note = [f.note, ...ctx.notes].filter((n) => n !== undefined).join(" ");
  return {
    outcome,
    image: ctx.imageText,
    registry: ctx.registry,
    ...rest,
    ...(note ? { note } : {}),
    fix: accessFix(f.outcome, key),
    blurred: f.blurred ?? false,
    steps: ctx.steps,
  } as unknown as R;
}

function fromTransportError(ctx: Ctx, error: TransportError): AccessResult {
  const f = error.failure;
  const code = f.code ? { code: f.code } : {};
  const message = `${error.method} ${error.url}: ${describeFailure(f)}${f.code ? ` (${f.code})` : ""}`;
  switch (f.kind) {
    case "tls":
      return makeResult(ctx, { outcome: "tls", reason: f.reason, ...code, message });
    case "plain-http":
      return makeResult(ctx, { outcome: "plain-http", reason: "server-speaks-http", message });
    case "network":
      return makeResult(ctx, { outcome: "network", reason: f.reason, ...code, message });
    case "redirect":
      return makeResult(ctx, { outcome: "registry-error", reason: f.reason, message });
  }
}

function fromClassification(ctx: Ctx, c: Classification, status: number): AccessResult {
  return makeResult(ctx, { ...c, status } as Fields<AccessResult>);
}

/**
 * Sends one request and records it as a step; transport failures are recorded then rethrown. `maxBodyBytes`
 * overrides the transport's cap (manifests and configs are read as far as the runtimes read them).
 */
async function send(
  ctx: Ctx,
  step: AccessStepName,
  method: HttpMethod,
  url: string,
  headers: Record<string, string>,
  maxBodyBytes?: number,
): Promise<TransportResponse> {
  const entry: AccessStep = { step, method, url: redactUrl(url) };
  ctx.steps.push(entry);
  try {
    const res = await ctx.transport.request({
      method,
      url,
      headers,
      ...(maxBodyBytes !== undefined ? { maxBodyBytes } : {}),
    });
    entry.status = res.status;
    const redirects = describeRedirects(res);
    if (redirects !== undefined) entry.detail = redirects;
    return res;
  } catch (error) {
    if (error instanceof TransportError)
      entry.detail = `${describeFailure(error.failure)}${error.failure.code ? ` (${error.failure.code})` : ""}`;
    throw error;
  }
}

function authHeaders(authz: Authorization, extra: Record<string, string> = {}): Record<string, string> {
  return { ...extra, ...(authz.header ? { authorization: authz.header } : {}) };
}

function tokenFailure(ctx: Ctx, t: Extract<TokenResult, { ok: false }>): AccessResult {
  const f = t.failure;
  if (f.kind === "transport") return fromTransportError(ctx, f.error);
  if (f.kind === "answer") return fromClassification(ctx, f.classification, f.status);
  return makeResult(ctx, {
    outcome: "registry-error",
    reason: "bad-token-response",
    status: f.status,
    message: f.message,
  });
}

/** Answers a challenge: an Authorization for the manifest requests, or a result that ends the check. */
async function authorize(ctx: Ctx, challenges: readonly Challenge[]): Promise<Authorization | AccessResult> {
  const challenge = preferredChallenge(challenges);
  if (!challenge) {
    const offered = [...new Set(challenges.map((c) => c.scheme))].join(", ") || "none";
    ctx.steps.push({
      step: "challenge",
      detail: `no Basic or Bearer challenge (offered: ${safeSnippet(offered, 80)})`,
    });
    return makeResult(ctx, {
      outcome: "registry-error",
      reason: "unsupported-challenge",
      status: 401,
      message: `the registry offers no Basic or Bearer authentication (offered: ${safeSnippet(offered, 80)})`,
    });
  }
  ctx.steps.push({ step: "challenge", detail: describeChallenge(challenge) });
  const credential = ctx.credential;

  if (challenge.scheme === "basic") {
    if (credential === undefined) return { auth: "none" };
    if ("identityToken" in credential) {
      return makeResult(ctx, {
        outcome: "unauthorized",
        reason: "credential-unsupported",
        status: 401,
        message: "the registry asks for Basic authentication, which an identity token cannot answer",
      });
    }
    const basic = Buffer.from(`${credential.username}:${credential.password}`, "utf8").toString("base64");
    return { header: `Basic ${basic}`, auth: "basic" };
  }

  const realm = checkRealm(challenge.params.realm, { plainHttp: ctx.plainHttp });
  if (!realm.ok) {
    const raw = challenge.params.realm;
    ctx.steps.push({ step: "token", detail: `realm refused (${realm.problem}); no request made` });
    return makeResult(ctx, {
      outcome: "bad-realm",
      reason: realm.problem,
      ...(raw ? { realm: redactUrl(raw) } : {}),
      message: `refusing the token service ${raw ? redactUrl(raw) : "(none)"}: ${
        {
          missing: "the challenge names no realm",
          "invalid-url": "the realm is not an absolute http(s) URL",
          "insecure-scheme": "credentials would travel over plain HTTP",
          "forbidden-address": "it is a link-local, metadata or unspecified address",
        }[realm.problem]
      }`,
    });
  }
  const token = await fetchToken({
    transport: ctx.transport,
    realm: realm.url,
    ...(challenge.params.service !== undefined ? { service: challenge.params.service } : {}),
    scopes: [repositoryScope(ctx.path)],
    ...(credential ? { credential } : {}),
    ...(ctx.cache ? { cache: ctx.cache } : {}),
    now: ctx.now,
  });
  ctx.steps.push(...token.steps);
  if (!token.ok) return tokenFailure(ctx, token);
  return { header: `Bearer ${token.token}`, auth: credential ? "token" : "anonymous-token" };
}

function isResult(x: Authorization | AccessResult): x is AccessResult {
  return "outcome" in x;
}

/** `, from HOST, which was not sent the credential` for an answer from a redirect target; else "". */
function withheldSuffix(res: TransportResponse): string {
  const host = credentialWithheldBy(res);
  return host === undefined ? "" : ` from ${host} after a redirect, which was not sent the credential`;
}

/** A manifest's size as a runtime sees it: the bytes read (GET), else the HEAD's Content-Length. */
function manifestSize(
  res: TransportResponse,
  method: HttpMethod,
): { size: number | undefined; atLeast: boolean } {
  if (method === "GET") {
    return { size: res.truncated ? res.body.length + 1 : res.body.length, atLeast: res.truncated };
  }
  const length = headerValue(res, "content-length")?.trim();
  return {
    size: length !== undefined && /^\d{1,15}$/.test(length) ? Number(length) : undefined,
    atLeast: false,
  };
}

/**
 * Ends the check when no runtime would accept the manifest's size (containerd compares it with its limit
 * when it resolves the reference); notes it when only containerd would.
 */
function checkManifestSize(ctx: Ctx, res: TransportResponse, method: HttpMethod): AccessResult | undefined {
  const { size, atLeast } = manifestSize(res, method);
  const verdict = manifestSizeVerdict(size, atLeast);
  if (verdict.fits === "none") {
    return makeResult(ctx, { outcome: "registry-error", reason: "body-too-large", message: verdict.message });
  }
  if (verdict.fits === "containerd-only" && !ctx.notes.includes(verdict.note)) ctx.notes.push(verdict.note);
  return undefined;
}

function sha256Digest(body: Buffer): string {
  return `sha256:${createHash("sha256").update(body).digest("hex")}`;
}

interface ManifestJson {
  manifests?: { digest?: unknown; platform?: Partial<Platform> & Record<string, unknown> }[];
  config?: { digest?: unknown; mediaType?: unknown };
}

function parseJson(body: Buffer): ManifestJson | undefined {
  try {
    const v: unknown = JSON.parse(body.toString("utf8"));
    return typeof v === "object" && v !== null ? (v as ManifestJson) : undefined;
  } catch {
    return undefined;
  }
}

function asPlatform(p: unknown): Platform | undefined {
  if (typeof p !== "object" || p === null) return undefined;
  const { os, architecture, variant } = p as Record<string, unknown>;
  if (typeof os !== "string" || typeof architecture !== "string") return undefined;
  return { os, architecture, ...(typeof variant === "string" && variant !== "" ? { variant } : {}) };
}

/** Platform check of a resolved manifest; the body is fetched when the HEAD gave none. */
async function checkPlatform(
  ctx: Ctx,
  authz: Authorization,
  wanted: Platform,
  res: TransportResponse,
  method: HttpMethod,
  digest: string,
  mediaType: string,
): Promise<AccessResult> {
  const ok = (matched: Platform, childDigest?: string): AccessResult =>
    makeResult(ctx, {
      outcome: "ok",
      digest,
      mediaType,
      auth: authz.auth,
      platform: { requested: wanted, matched, ...(childDigest ? { digest: childDigest } : {}) },
      message: `${ctx.imageText} can be pulled for ${formatPlatform(wanted)} (${digest})`,
    });
  const missing = (available: Platform[]): AccessResult =>
    makeResult(ctx, {
      outcome: "platform-missing",
      platform: wanted,
      available,
      digest,
      mediaType,
      message: `${ctx.imageText} has no manifest for ${formatPlatform(wanted)} (available: ${
        available.map(formatPlatform).join(", ") || "none"
      })`,
    });
  const badManifest = (message: string, status?: number): AccessResult =>
    makeResult(ctx, {
      outcome: "registry-error",
      reason: "bad-manifest",
      ...(status ? { status } : {}),
      message,
    });

  if (!isIndexMediaType(mediaType) && !isImageManifestMediaType(mediaType)) {
    return makeResult(ctx, {
      outcome: "ok",
      digest,
      mediaType,
      auth: authz.auth,
      note: `The platform was not checked: unsupported manifest media type ${safeSnippet(mediaType, 80) || "(none)"}.`,
      message: `${ctx.imageText} can be pulled (${digest})`,
    });
  }
  let manifest = res;
  if (method === "HEAD") {
    manifest = await send(
      ctx,
      "platform",
      "GET",
      manifestUrl(ctx.base, ctx.path, ctx.ref),
      authHeaders(authz, { accept: MANIFEST_ACCEPT }),
      MAX_MANIFEST_READ_BYTES,
    );
    if (manifest.status < 200 || manifest.status >= 300) {
      return badManifest(
        `reading the manifest for the platform check failed (HTTP ${manifest.status}${withheldSuffix(manifest)})`,
        manifest.status,
      );
    }
    // The HEAD may not have said how large it is.
    const tooLarge = checkManifestSize(ctx, manifest, "GET");
    if (tooLarge) return tooLarge;
  }
  const json = parseJson(manifest.body);
  if (!json) return badManifest("the manifest is not JSON");

  if (isIndexMediaType(mediaType)) {
    const entries = (Array.isArray(json.manifests) ? json.manifests : [])
      .map((m) => ({
        platform: asPlatform(m?.platform),
        digest: typeof m?.digest === "string" ? m.digest : undefined,
      }))
      .filter((m): m is { platform: Platform; digest: string | undefined } => m.platform !== undefined);
    // Attestation manifests (buildx) carry platform unknown/unknown: not a platform anyone runs.
    const available = entries.filter((e) => e.platform.os !== "unknown").map((e) => e.platform);
    const match = entries.find((e) => platformMatches(wanted, e.platform));
    ctx.steps.push({
      step: "platform",
      detail: `index lists ${available.map(formatPlatform).join(", ") || "no platforms"}`,
    });
    return match ? ok(match.platform, match.digest) : missing(available);
  }

  // A single image manifest: its platform is in the config blob.
  const configDigest = json.config?.digest;
  if (typeof configDigest !== "string") return badManifest("the manifest names no config blob");
  const config = await send(
    ctx,
    "config",
    "GET",
    blobUrl(ctx.base, ctx.path, configDigest),
    authHeaders(authz),
    CONTAINERS_IMAGE_MAX_CONFIG_BYTES,
  );
  if (config.status < 200 || config.status >= 300) {
    return badManifest(
      `reading the image config failed (HTTP ${config.status}${withheldSuffix(config)})`,
      config.status,
    );
  }
  if (config.truncated) {
    return makeResult(ctx, {
      outcome: "registry-error",
      reason: "body-too-large",
      message: configTooLargeMessage(),
    });
  }
  const platform = asPlatform(parseJson(config.body));
  if (!platform) return badManifest("the image config names no os/architecture");
  return platformMatches(wanted, platform) ? ok(platform) : missing([platform]);
}

/** Refines a 404 for a tag/digest with `tags/list`: does the repository exist? */
async function refineNotFound(ctx: Ctx, authz: Authorization, what: NotFoundWhat): Promise<NotFoundWhat> {
  if (what === "repository") return what;
  try {
    const tags = await send(
      ctx,
      "tags",
      "GET",
      tagsUrl(ctx.base, ctx.path),
      authHeaders(authz, { accept: "application/json" }),
    );
    if (tags.status >= 200 && tags.status < 300) return ctx.refKind;
    if (tags.status === 404 && hasErrorCode(parseRegistryErrors(tags.body), "NAME_UNKNOWN"))
      return "repository";
  } catch (error) {
    if (!(error instanceof TransportError)) throw error;
  }
  return what;
}

async function run(ctx: Ctx): Promise<AccessResult> {
  // 1. ping
  const ping = await send(ctx, "ping", "GET", pingUrl(ctx.base), {});
  let authz: Authorization = { auth: "none" };
  let answered = false;
  if (ping.status === 401) {
    const a = await authorize(ctx, parseChallenges(ping.headers["www-authenticate"]));
    if (isResult(a)) return a;
    authz = a;
    answered = true;
  } else if (ping.status < 200 || ping.status >= 300) {
    const body = ping.body.toString("utf8");
    if (
      ctx.plainHttp &&
      ping.status === 400 &&
      /HTTPS server|https port|plain HTTP request was sent to HTTPS/i.test(body)
    ) {
      return makeResult(ctx, {
        outcome: "plain-http",
        reason: "server-requires-https",
        message: `${ctx.registry} speaks HTTPS, but the check used plain HTTP (HTTP 400)`,
      });
    }
    const errors = parseRegistryErrors(ping.body);
    const retryAfter = parseRetryAfter(headerValue(ping, "retry-after"), ctx.now());
    const c = classifyManifestAnswer({
      status: ping.status,
      errors,
      challenges: [],
      auth: "none",
      hasCredential: ctx.credential !== undefined,
      reference: ctx.refKind,
      path: ctx.path,
      ref: ctx.ref,
      ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
    });
    if (c.outcome === "rate-limited" || (c.outcome === "registry-error" && c.reason === "server-error")) {
      return fromClassification(ctx, c, ping.status);
    }
    return makeResult(ctx, {
      outcome: "registry-error",
      reason: "unexpected-status",
      status: ping.status,
      ...(errors[0] ? { code: errors[0].code } : {}),
      message: `GET /v2/ answered HTTP ${ping.status}: ${ctx.registry} may not be an OCI registry`,
    });
  }

  // 2. manifest
  const murl = manifestUrl(ctx.base, ctx.path, ctx.ref);
  const manifestRequest = async (): Promise<{ res: TransportResponse; method: HttpMethod }> => {
    const headers = authHeaders(authz, { accept: MANIFEST_ACCEPT });
    const head = await send(ctx, "manifest", "HEAD", murl, headers);
    // HEAD unsupported: GET instead. Other errors: GET once to read the error body a HEAD cannot carry
    // (NAME_UNKNOWN vs MANIFEST_UNKNOWN, DENIED ...); not for 401 (the challenge is in the headers) and not
    // for 429 (no more requests to a registry that asks us to slow down).
    const getInstead = head.status === 405 || head.status === 501;
    const readError = head.status >= 400 && head.status !== 401 && head.status !== 429;
    if (!getInstead && !readError) return { res: head, method: "HEAD" };
    return { res: await send(ctx, "manifest", "GET", murl, headers, MAX_MANIFEST_READ_BYTES), method: "GET" };
  };
  let { res, method } = await manifestRequest();
  if (res.status === 401 && !answered && authz.auth === "none") {
    // The registry's /v2/ was open but this repository asks for auth: answer its challenge once.
    const challenges = parseChallenges(res.headers["www-authenticate"]);
    if (challenges.length > 0) {
      const a = await authorize(ctx, challenges);
      if (isResult(a)) return a;
      authz = a;
      answered = true;
      ({ res, method } = await manifestRequest());
    }
  }

  if (res.status >= 200 && res.status < 300) {
    const mediaType = baseMediaType(headerValue(res, "content-type"));
    let digest = headerValue(res, "docker-content-digest")?.trim() ?? "";
    if (!/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(digest)) digest = "";
    if (!digest && ctx.refKind === "digest") digest = ctx.ref;
    if (!digest && method === "GET" && !res.truncated) digest = sha256Digest(res.body);
    if (!digest) {
      const get = await send(
        ctx,
        "manifest",
        "GET",
        murl,
        authHeaders(authz, { accept: MANIFEST_ACCEPT }),
        MAX_MANIFEST_READ_BYTES,
      );
      if (get.status >= 200 && get.status < 300) {
        if (!get.truncated)
          digest = headerValue(get, "docker-content-digest")?.trim() || sha256Digest(get.body);
        res = get;
        method = "GET";
      }
    }
    const tooLarge = checkManifestSize(ctx, res, method);
    if (tooLarge) return tooLarge;
    const note =
      ctx.credential !== undefined && (authz.auth === "none" || authz.auth === "anonymous-token")
        ? "The registry did not ask for a credential for this image, so the credential itself was not tested."
        : undefined;
    if (ctx.platform) {
      const r = await checkPlatform(ctx, authz, ctx.platform, res, method, digest, mediaType);
      return note && r.note === undefined ? { ...r, note } : r;
    }
    return makeResult(ctx, {
      outcome: "ok",
      digest,
      mediaType,
      auth: authz.auth,
      ...(note ? { note } : {}),
      message: `${ctx.imageText} can be pulled (${digest || "digest not given by the registry"})`,
    });
  }

  const errors = parseRegistryErrors(res.body);
  const retryAfter = parseRetryAfter(headerValue(res, "retry-after"), ctx.now());
  const withheldBy = credentialWithheldBy(res);
  const c = classifyManifestAnswer({
    status: res.status,
    errors,
    challenges: parseChallenges(res.headers["www-authenticate"]),
    auth: authz.auth,
    hasCredential: ctx.credential !== undefined,
    reference: ctx.refKind,
    path: ctx.path,
    ref: ctx.ref,
    ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
    ...(withheldBy !== undefined ? { withheldBy } : {}),
  });
  if (c.outcome === "not-found") {
    const what = await refineNotFound(ctx, authz, c.what);
    if (what !== c.what) {
      const subject = what === "repository" ? `repository ${ctx.path}` : `${what} ${ctx.ref} in ${ctx.path}`;
      return makeResult(ctx, {
        outcome: "not-found",
        what,
        status: res.status,
        message: `${subject} not found (HTTP 404${errors[0] ? ` ${errors[0].code}` : ""}; tags/list confirms)`,
      });
    }
  }
  return fromClassification(ctx, c, res.status);
}

/**
 * Checks whether `credential` (or no credential) can pull `image` from its registry. Expected outcomes are
 * values; only bugs (and an unreadable `caFile`) throw.
 */
export async function checkAccess(options: CheckAccessOptions): Promise<AccessResult> {
  const own = options.transport === undefined;
  const transport = options.transport ?? createTransport(options);
  const { ref, kind } = manifestReference(options.image);
  const ctx: Ctx = {
    image: options.image,
    imageText: imageString(options.image),
    registry: registryHost(options.image.domain),
    base: registryBaseUrl(options.image.domain, options.plainHttp === true),
    path: options.image.path,
    ref,
    refKind: kind,
    credential: options.credential,
    platform: options.platform,
    plainHttp: options.plainHttp === true,
    transport,
    cache: options.tokenCache,
    now: options.now ?? (() => new Date()),
    steps: [],
    notes: [],
  };
  try {
    return await run(ctx);
  } catch (error) {
    if (error instanceof TransportError) return fromTransportError(ctx, error);
    throw error;
  } finally {
    if (own) transport.close();
  }
}
