/**
 * A loopback fake of the GitHub REST API's `GET /user`, for the GHCR token probe. No GitHub API runs here, so its
 * answers follow GitHub's documentation:
 *
 * - "Scopes for OAuth apps" (docs.github.com/en/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps): a
 *   classic token's answer carries `X-OAuth-Scopes: repo, user` (comma and space separated; empty for a token
 *   without scopes) and `X-Accepted-OAuth-Scopes`; fine-grained and App tokens get no `X-OAuth-Scopes`;
 * - `GitHub-Authentication-Token-Expiration: 2021-10-07 19:07:53 UTC` on an answer to a token with an expiry
 *   (github.blog/changelog/2021-07-26-expiration-options-for-personal-access-tokens);
 * - a bad token: `401` with `{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}`.
 *
 * Hostile behaviours are per token: a status, a garbage header, a huge body, a redirect, a stall. Requests are
 * logged without the token (only which known token it was).
 */
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { LOOPBACK } from "./net.js";

export interface FakeGitHubToken {
  /** `X-OAuth-Scopes` as sent (`"read:packages"`, `""`); null: no such header (a fine-grained token). */
  readonly scopes: string | null;
  /** `GitHub-Authentication-Token-Expiration` as sent; absent: a token without expiry. */
  readonly expiration?: string;
  /** Another status (the body is GitHub's error shape). */
  readonly status?: number;
  /** Extra headers. */
  readonly headers?: Readonly<Record<string, string>>;
  /** A 302 to this URL instead of an answer. */
  readonly redirectTo?: string;
  /** Send a body of this many bytes (slowly, in 64 KiB chunks) after the headers. */
  readonly bodyBytes?: number;
  /** Never answer (the probe's deadline must end it). */
  readonly stall?: boolean;
}

export interface FakeGitHubRequest {
  readonly method: string;
  readonly path: string;
  /** Which configured token was sent (its name in `tokens`), `unknown`, or `none`. */
  readonly token: string;
  readonly scheme: string | undefined;
}

export interface FakeGitHubApi {
  /** The API base, e.g. `http://127.0.0.1:PORT/` (or `/api/v3/` with `prefix`). */
  readonly url: string;
  readonly requests: FakeGitHubRequest[];
  stop(): Promise<void>;
}

/** Starts the fake; `tokens` maps a token value to how the API answers it. */
export async function startFakeGitHubApi(
  tokens: Readonly<Record<string, FakeGitHubToken>>,
  options: { prefix?: string } = {},
): Promise<FakeGitHubApi> {
  const prefix = options.prefix ?? "/";
  const requests: FakeGitHubRequest[] = [];
  const names = new Map(Object.keys(tokens).map((value, index) => [value, `token#${index + 1}`]));
  const open = new Set<ServerResponse>();

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const authorization = req.headers.authorization ?? "";
    const [scheme, value = ""] = authorization.split(" ", 2);
    const token = authorization === "" ? "none" : (names.get(value) ?? "unknown");
    requests.push({ method: req.method ?? "", path: req.url ?? "", token, scheme });
    const json = (status: number, body: object, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.url !== `${prefix}user`) {
      json(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
      return;
    }
    const answer = tokens[value];
    if (!answer || (scheme !== "token" && scheme !== "Bearer")) {
      json(401, {
        message: "Bad credentials",
        documentation_url: "https://docs.github.com/rest",
        status: "401",
      });
      return;
    }
    if (answer.stall) {
      open.add(res);
      return;
    }
    if (answer.redirectTo !== undefined) {
      res.writeHead(302, { location: answer.redirectTo });
      res.end();
      return;
    }
    const headers: Record<string, string> = {
      "x-accepted-oauth-scopes": "",
      "x-github-media-type": "github.v3; format=json",
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": "4999",
      ...(answer.scopes !== null ? { "x-oauth-scopes": answer.scopes } : {}),
      ...(answer.expiration !== undefined
        ? { "github-authentication-token-expiration": answer.expiration }
        : {}),
      ...answer.headers,
    };
    const status = answer.status ?? 200;
    if (answer.bodyBytes !== undefined) {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
      open.add(res);
      let left = answer.bodyBytes;
      const chunk = Buffer.alloc(64 * 1024, "a");
      const write = (): void => {
        while (left > 0 && !res.destroyed) {
          left -= chunk.length;
          if (!res.write(chunk)) {
            res.once("drain", write);
            return;
          }
        }
        res.end();
      };
      write();
      return;
    }
    if (status !== 200) {
      json(status, { message: "Error", documentation_url: "https://docs.github.com/rest" }, headers);
      return;
    }
    json(200, { login: "machine-user", id: 1, type: "User" }, headers);
  }

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${LOOPBACK}:${port}${prefix}`,
    requests,
    async stop() {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
