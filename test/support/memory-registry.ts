// An OCI registry in memory, as a registry `Transport` (no sockets), for unit tests of what runs checks: Basic auth
// at https://r.example, manifests by tag, tags/list; every other host refuses connections. It records each
// request as `METHOD host/path user` (`-` without credentials).
import { TransportError } from "../../src/registry/transport-error.js";
import type { Transport, TransportRequest, TransportResponse } from "../../src/registry/transport.js";

export const MEMORY_DIGEST = `sha256:${"ab".repeat(32)}`;

export interface MemoryRegistry extends Transport {
  /** `METHOD path user` (user `-` without credentials). */
  readonly calls: string[];
  closed: boolean;
}

/**
 * A registry with Basic auth at https://r.example: `users` (user → password), and the tags of its repositories.
 * Hosts other than r.example refuse connections.
 */
export function memoryRegistry(
  users: Record<string, string>,
  tags: Record<string, string[]>,
): MemoryRegistry {
  const calls: string[] = [];
  const answer = (
    url: URL,
    status: number,
    headers: Record<string, string[]> = {},
    body = "",
  ): TransportResponse => ({
    status,
    headers,
    body: Buffer.from(body),
    truncated: false,
    url: url.href,
    redirects: 0,
    authorizationDropped: false,
  });
  const challenge = { "www-authenticate": ['Basic realm="memory"'] };
  const registry: MemoryRegistry = {
    calls,
    closed: false,
    request(request: TransportRequest) {
      const url = new URL(String(request.url));
      const authorization = Object.entries(request.headers ?? {}).find(
        ([name]) => name.toLowerCase() === "authorization",
      )?.[1];
      const [user, password] = authorization
        ? Buffer.from(authorization.replace(/^Basic /, ""), "base64")
            .toString()
            .split(":")
        : [];
      calls.push(`${request.method} ${url.host}${url.pathname} ${user ?? "-"}`);
      if (url.host !== "r.example") {
        return Promise.reject(
          new TransportError(
            { kind: "network", reason: "refused", code: "ECONNREFUSED" },
            request.method,
            url,
          ),
        );
      }
      if (url.pathname === "/v2/") return Promise.resolve(answer(url, 401, challenge));
      if (user === undefined || users[user] !== password) return Promise.resolve(answer(url, 401, challenge));
      const manifest = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
      if (manifest) {
        const [, repository = "", tag = ""] = manifest;
        if (!(tags[repository] ?? []).includes(tag)) {
          return Promise.resolve(answer(url, 404, {}, '{"errors":[{"code":"MANIFEST_UNKNOWN"}]}'));
        }
        return Promise.resolve(
          answer(url, 200, {
            "docker-content-digest": [MEMORY_DIGEST],
            "content-type": ["application/vnd.oci.image.manifest.v1+json"],
            "content-length": ["2"],
          }),
        );
      }
      const tagList = /^\/v2\/(.+)\/tags\/list$/.exec(url.pathname);
      if (tagList && tags[tagList[1] ?? ""]) {
        return Promise.resolve(answer(url, 200, {}, JSON.stringify({ tags: tags[tagList[1] ?? ""] })));
      }
      return Promise.resolve(answer(url, 404, {}, '{"errors":[{"code":"NAME_UNKNOWN"}]}'));
    },
    close() {
      registry.closed = true;
    },
  };
  return registry;
}
