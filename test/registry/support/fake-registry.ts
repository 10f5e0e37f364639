// A scriptable OCI registry on node:http(s) for client tests: /v2/, manifests (HEAD/GET), blobs, tags/list,
// Basic or Bearer auth with its own token endpoint (GET + Basic + account, anonymous, POST refresh_token).
// `hook` runs first and may answer any request itself (hostile scenarios).
import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { decodeBasic, json, registryError, startTestServer } from "./hostile-server.js";
import type { TestServer, TestServerOptions } from "./hostile-server.js";

export interface FakeImage {
  mediaType: string;
  body: string;
}

export interface FakeRegistryOptions {
  auth: "none" | "basic" | "bearer";
  users?: { username: string; password: string }[];
  /** Refresh token → username (identity tokens). */
  refreshTokens?: Record<string, string>;
  /** Bearer realm; default `<this server>/token`. */
  realm?: (self: TestServer) => string;
  service?: string;
  /** Actions granted on a repository; default: authenticated users get what they ask for except under denied/. */
  grant?: (repository: string, subject: string | undefined, actions: string[]) => string[];
  /** Status of the token POST (e.g. 404/405 to force the GET fallback); default: served. */
  tokenPostStatus?: number;
  /** `expires_in` of issued tokens (omitted when undefined). */
  expiresIn?: number;
  /** HEAD on manifests answers 405. */
  headNotAllowed?: boolean;
  /** Omit Docker-Content-Digest on manifest answers. */
  noDigestHeader?: boolean;
  /** Repositories → tag or digest → manifest. */
  repositories?: Record<string, Record<string, FakeImage>>;
  /** digest → content (configs). */
  blobs?: Record<string, string>;
  /** Answers a request itself when it returns true. */
  hook?: (
    req: IncomingMessage,
    res: ServerResponse,
    body: string,
    self: FakeRegistry,
  ) => boolean | Promise<boolean>;
  tls?: TestServerOptions["tls"];
}

export interface FakeRegistry {
  server: TestServer;
  url: string;
  host: string;
  /** Token requests seen (method, grant, query/form) — the server-side view, for assertions. */
  tokenRequests: { method: string; params: URLSearchParams; authorization?: string }[];
  /** Every token handed out (so tests can assert none leaks into results). */
  issued: string[];
  close(): Promise<void>;
}

export function digestOf(body: string): string {
  return `sha256:${createHash("sha256").update(body).digest("hex")}`;
}

interface Issued {
  subject: string | undefined;
  access: Record<string, string[]>;
}

export async function startFakeRegistry(opts: FakeRegistryOptions): Promise<FakeRegistry> {
  const tokens = new Map<string, Issued>();
  const tokenRequests: FakeRegistry["tokenRequests"] = [];
  const issued: string[] = [];
  const service = opts.service ?? "fake-registry";
  const users = new Map((opts.users ?? []).map((u) => [u.username, u.password]));
  const grant =
    opts.grant ??
    ((repo: string, subject: string | undefined, actions: string[]) =>
      subject && !repo.startsWith("denied/") ? actions : []);
  // eslint-disable-next-line prefer-const
  let self: FakeRegistry;

  const realmOf = (): string => (opts.realm ? opts.realm(self.server) : `${self.url}/token`);

  const challenge = (repo?: string, error?: string): string =>
    opts.auth === "basic"
      ? 'Basic realm="fake-realm"'
      : `Bearer realm="${realmOf()}",service="${service}"${repo ? `,scope="repository:${repo}:pull"` : ""}${
          error ? `,error="${error}"` : ""
        }`;

  const token = (req: IncomingMessage, res: ServerResponse, body: string): void => {
    const url = new URL(req.url ?? "/", "http://x");
    const params = req.method === "POST" ? new URLSearchParams(body) : url.searchParams;
    tokenRequests.push({
      method: req.method ?? "",
      params,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
    let subject: string | undefined;
    if (req.method === "POST") {
      if (opts.tokenPostStatus) return void res.writeHead(opts.tokenPostStatus).end();
      if (params.get("grant_type") !== "refresh_token")
        return json(res, 400, { error: "unsupported_grant_type" });
      subject = opts.refreshTokens?.[params.get("refresh_token") ?? ""];
      if (!subject) return json(res, 400, { error: "invalid_grant" });
    } else {
      const basic = decodeBasic(req.headers.authorization);
      if (basic) {
        const owner = opts.refreshTokens?.[basic.password];
        if (users.get(basic.username) === basic.password) subject = basic.username;
        else if (owner) subject = owner;
        else return registryError(res, 401, "UNAUTHORIZED");
      }
    }
    const access: Record<string, string[]> = {};
    const scopes = params.getAll("scope").flatMap((s) => s.split(" "));
    for (const scope of scopes) {
      const first = scope.indexOf(":");
      const last = scope.lastIndexOf(":");
      const repo = scope.slice(first + 1, last);
      access[repo] = grant(repo, subject, scope.slice(last + 1).split(","));
    }
    const t = `tok-${randomBytes(12).toString("hex")}`;
    tokens.set(t, { subject, access });
    issued.push(t);
    json(res, 200, {
      token: t,
      access_token: t,
      ...(opts.expiresIn !== undefined ? { expires_in: opts.expiresIn } : {}),
      issued_at: new Date().toISOString(),
    });
  };

  /** Whether the request may pull `repo`; answers the 401 itself when not. */
  const authorized = (req: IncomingMessage, res: ServerResponse, repo: string | undefined): boolean => {
    const header = req.headers.authorization;
    if (opts.auth === "none") return true;
    if (opts.auth === "basic") {
      const basic = decodeBasic(header);
      if (basic && users.get(basic.username) === basic.password) return true;
      registryError(res, 401, "UNAUTHORIZED", { "www-authenticate": challenge() });
      return false;
    }
    const issued = header?.startsWith("Bearer ") ? tokens.get(header.slice(7)) : undefined;
    if (!issued) {
      registryError(res, 401, "UNAUTHORIZED", { "www-authenticate": challenge(repo) });
      return false;
    }
    if (repo && !issued.access[repo]?.includes("pull")) {
      registryError(res, 401, "UNAUTHORIZED", { "www-authenticate": challenge(repo, "insufficient_scope") });
      return false;
    }
    return true;
  };

  const server = await startTestServer(
    async (req, res, body) => {
      if (opts.hook && (await opts.hook(req, res, body, self))) return;
      const url = new URL(req.url ?? "/", "http://x");
      if (url.pathname === "/token") return token(req, res, body);
      if (url.pathname === "/v2/" || url.pathname === "/v2") {
        if (!authorized(req, res, undefined)) return;
        return json(res, 200, {});
      }
      const m = /^\/v2\/(.+)\/(manifests|blobs|tags)\/([^/]+)$/.exec(url.pathname);
      if (!m) return registryError(res, 404, "NOT_FOUND");
      const [, repo = "", kind, ref = ""] = m;
      if (!authorized(req, res, repo)) return;
      const images = opts.repositories?.[repo];
      if (kind === "tags") {
        if (!images) return registryError(res, 404, "NAME_UNKNOWN");
        return json(res, 200, { name: repo, tags: Object.keys(images).filter((k) => !k.includes(":")) });
      }
      if (kind === "blobs") {
        const blob = opts.blobs?.[decodeURIComponent(ref)];
        if (blob === undefined) return registryError(res, 404, "BLOB_UNKNOWN");
        res.writeHead(200, {
          "content-type": "application/octet-stream",
          "content-length": Buffer.byteLength(blob),
        });
        return void res.end(blob);
      }
      if (req.method === "HEAD" && opts.headNotAllowed) return registryError(res, 405, "UNSUPPORTED");
      const image = images?.[decodeURIComponent(ref)];
      // distribution 2.8 answers MANIFEST_UNKNOWN for a tag even when the repository is missing.
      if (!image) return registryError(res, 404, "MANIFEST_UNKNOWN");
      res.writeHead(200, {
        "content-type": image.mediaType,
        "content-length": Buffer.byteLength(image.body),
        ...(opts.noDigestHeader ? {} : { "docker-content-digest": digestOf(image.body) }),
      });
      res.end(req.method === "HEAD" ? undefined : image.body);
    },
    opts.tls ? { tls: opts.tls } : {},
  );
  self = { server, url: server.url, host: server.host, tokenRequests, issued, close: () => server.close() };
  return self;
}

/** An OCI image manifest with a config blob for `platform`, plus the blobs map to serve it. */
export function imageFor(platform: { os: string; architecture: string; variant?: string }): {
  image: FakeImage;
  blobs: Record<string, string>;
} {
  const config = JSON.stringify({ ...platform, rootfs: { type: "layers", diff_ids: [] } });
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: {
      mediaType: "application/vnd.oci.image.config.v1+json",
      digest: digestOf(config),
      size: config.length,
    },
    layers: [],
  });
  return {
    image: { mediaType: "application/vnd.oci.image.manifest.v1+json", body: manifest },
    blobs: { [digestOf(config)]: config },
  };
}

/** An OCI index listing `platforms` (child digests are fake). */
export function indexFor(platforms: { os: string; architecture: string; variant?: string }[]): FakeImage {
  return {
    mediaType: "application/vnd.oci.image.index.v1+json",
    body: JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.index.v1+json",
      manifests: platforms.map((platform, i) => ({
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        digest: digestOf(`child-${i}`),
        size: 100,
        platform,
      })),
    }),
  };
}
