/**
 * Checks on one registry key (`auths` map key / `--docker-server`), judged against kubelet's keyring first
 * (see keyring.ts) and then skopeo, docker and containerd. Used when parsing (mode "parse") and, with a few
 * warnings raised to errors, when building payloads (mode "build": we never generate a misleading key).
 */
import { explainUrlsMatch, parseKeyringKey } from "./keyring.js";
import { splitGoHostPort } from "./go-url.js";
import { describeControlCharacters } from "./go-strings.js";
import { makeProblem, quoteKey, redactDerivedKey, redactKey } from "./problems.js";
import type { Problem, ProblemDetails } from "./problems.js";

export type CheckMode = "parse" | "build";

/** Longest image name distribution accepts; a key longer than that can never be a prefix of one. */
const MAX_NAME_LENGTH = 255;

const COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const SEPARATOR = "(?:[._]|__|-+)";
/** Strings that can start a normalised repository path (distribution's path-component grammar). */
const PATH_PREFIX = new RegExp(`^(?:${COMPONENT}/)*(?:${COMPONENT}${SEPARATOR}?)?$`);

/**
 * Problems with `key` as a registry key. `details` (position, source) is attached to every problem.
 * Stops after the first problem that makes further checks meaningless (empty, whitespace, unparseable).
 */
export function checkRegistryKey(key: string, mode: CheckMode, details: ProblemDetails = {}): Problem[] {
  const problems: Problem[] = [];
  const at = { ...details, key };
  const q = quoteKey(key);
  const add = (...args: Parameters<typeof makeProblem>) => problems.push(makeProblem(...args));
  const buildError = mode === "build" ? { severity: "error" as const } : {};

  if (key === "") {
    add("key-empty", "the registry key is empty; it matches no image", at);
    return problems;
  }
  if (/\s/.test(key)) {
    add(
      "key-whitespace",
      `registry key ${q} contains whitespace; kubelet cannot parse it and ignores the entry`,
      at,
    );
    return problems;
  }
  const controlCharacter = describeControlCharacters(key);
  if (controlCharacter) {
    add("key-unparseable", `registry key ${q} contains ${controlCharacter}; kubelet ignores the entry`, at);
    return problems;
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(key)?.[1];
  if (scheme === "http") {
    add(
      "key-http-scheme",
      `registry key ${q} has an http:// scheme, which kubelet and the runtimes drop (it does not make them use plain HTTP); write host[:port]`,
      at,
    );
  } else if (scheme !== undefined && scheme !== "https") {
    add(
      "key-unsupported-scheme",
      `registry key ${q} has scheme "${scheme.slice(0, 20)}://"; kubelet recognises only lowercase http:// and https://, so the key matches nothing`,
      at,
    );
    return problems;
  }

  const parsed = parseKeyringKey(key);
  if (!parsed.ok) {
    add(
      "key-unparseable",
      // The parser's reason quotes pieces of the key (`invalid port ":pa"`): not shown when the key holds user info.
      `registry key ${q} is not a valid URL (${redactKey(key) === key ? parsed.reason : "user info before '@' that may hold a password, not shown"}); kubelet ignores the entry`,
      at,
    );
    return problems;
  }
  if (parsed.url.user) {
    add("key-userinfo", `registry key ${q} contains user info before '@'; kubelet drops it, remove it`, {
      ...at,
      ...buildError,
    });
  }
  if (parsed.url.rawQuery !== "" || parsed.url.forceQuery || parsed.url.hadFragment) {
    add(
      "key-query-or-fragment",
      `registry key ${q} contains '?' or '#'; kubelet's URL parser cuts the key there and uses ${quoteKey(redactDerivedKey(key, parsed.normalizedKey))}`,
      at,
    );
  }
  if (parsed.host === "") {
    add("key-no-host", `registry key ${q} has no host; it matches no image`, at);
    return problems;
  }

  const hostPort = splitGoHostPort(parsed.host);
  const hostname = hostPort ? hostPort.host : parsed.host;
  const port = hostPort ? hostPort.port : "";
  if (/[A-Z]/.test(hostname)) {
    add(
      "key-host-uppercase",
      `registry key ${q} has uppercase letters in its host; kubelet compares hosts case-sensitively and image references use lowercase`,
      at,
    );
  }
  if (hostname.endsWith(".")) {
    add(
      "key-trailing-dot",
      `registry key ${q} ends its host with '.', so it never matches images on that host`,
      at,
    );
  }
  if (port === "443" || port === "80") {
    add(
      "key-default-port",
      `registry key ${q} spells port ${port}; kubelet compares ports as strings, so it only matches images that also spell :${port}`,
      at,
    );
  }
  if (hostname === "registry-1.docker.io") {
    add(
      "key-registry-1-docker-io",
      `registry key ${q} never matches in kubelet (images normalise to docker.io/…); use "docker.io" or "https://index.docker.io/v1/"`,
      at,
    );
  } else if (parsed.host === "index.docker.io" && parsed.path !== "" && !/^\/v[12]$/.test(parsed.url.path)) {
    add(
      "key-docker-hub-with-path",
      `registry key ${q} never matches in kubelet: the Docker Hub fallback needs exactly index.docker.io; use ${quoteKey("docker.io" + parsed.path)}`,
      at,
    );
  }
  if (hostname.includes("*")) {
    add(
      "key-glob",
      `registry key ${q} uses wildcards; only kubelet honours them (one DNS label per '*'), skopeo, docker and containerd do not`,
      at,
    );
  }

  if (parsed.url.path === "/v1" || parsed.url.path === "/v2") {
    add(
      "key-version-path-without-slash",
      `registry key ${q} ends in "${parsed.url.path}" without '/'; kubelet strips only "/v1/" and "/v2/", so it scopes the key to repositories starting "${parsed.url.path.slice(1)}"`,
      at,
    );
  } else if (parsed.path !== "") {
    const repoPrefix = parsed.path.slice(1);
    if (parsed.normalizedKey.length > MAX_NAME_LENGTH || !PATH_PREFIX.test(repoPrefix)) {
      add(
        "key-path-never-matches",
        `registry key ${q} has a path no normalised image name can start with (lowercase letters, digits, '.', '_', '-' and '/' only; no tag or digest)`,
        at,
      );
    } else {
      const note = parsed.path.endsWith("/") ? "" : " (a raw string prefix, not a path segment)";
      add(
        "key-path-scoped",
        `registry key ${q} applies in kubelet only to images whose name starts with ${quoteKey(redactDerivedKey(key, parsed.normalizedKey))}${note}; docker ignores the path`,
        at,
      );
    }
  }

  // A key that does not even match its own host (a malformed glob, "[::1]" without a port) never matches.
  const self = explainUrlsMatch(parsed.host, parsed.host);
  if (!self.matched) {
    add(
      "key-self-mismatch",
      parsed.host.startsWith("[") && port === ""
        ? `registry key ${q} is an IPv6 literal without a port; kubelet reads its brackets as a wildcard class, so it never matches`
        : self.reason === "bad-pattern"
          ? `registry key ${q} is a malformed wildcard pattern for kubelet; it never matches`
          : `registry key ${q} never matches any image in kubelet (${self.reason})`,
      at,
    );
  }
  return problems;
}
