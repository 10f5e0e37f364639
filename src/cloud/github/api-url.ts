/**
 * The base URL of the GitHub REST API the GHCR probe asks: `https://api.github.com` for github.com (and so for
 * ghcr.io), `https://HOST/api/v3` for GitHub Enterprise Server, or a loopback fake in tests. The token is sent
 * there, so it must be https; plain http only to the loopback interface, where nothing can listen in. Pure.
 */
import { UsageError } from "../../errors.js";

export const GITHUB_API_URL = "https://api.github.com";

const LOOPBACK = new Set(["127.0.0.1", "[::1]", "localhost"]);

/** The API base as a URL ending in `/` (so `new URL("user", base)` stays under it); `flag` names it in errors. */
export function parseGitHubApiUrl(text: string, flag: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${flag} ${JSON.stringify(text)}: not a URL`, {
      hint: `${flag} ${GITHUB_API_URL}, or ${flag} https://HOST/api/v3 for GitHub Enterprise Server`,
    });
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(url.hostname))) {
    throw new UsageError(`${flag}: the token is sent there, so it must be an https:// URL`, {
      hint: `${flag} ${GITHUB_API_URL}`,
    });
  }
  if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "") {
    throw new UsageError(`${flag}: give the API's base URL alone, without user info, query or fragment`, {
      hint: `${flag} ${GITHUB_API_URL}`,
    });
  }
  if (!url.pathname.endsWith("/")) url.pathname = `${url.pathname}/`;
  return url;
}
