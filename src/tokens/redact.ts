/**
 * Display form of a secret: at most a known, non-secret type prefix plus the length, e.g.
 * `ghp_…(40 chars)`. The prefixes are the public token-type markers, which GitHub, Docker and GitLab
 * publish precisely so that tools can recognise tokens without reading them.
 */
const KNOWN_PREFIXES = ["github_pat_", "dckr_pat_", "glpat-", "ghp_", "gho_", "ghu_", "ghs_", "ghr_"];

export function redactSecret(secret: string): string {
  const value = typeof secret === "string" ? secret : "";
  if (value.length === 0) return "(empty)";
  const unit = value.length === 1 ? "char" : "chars";
  // Keep the prefix only when something follows it: a value that *is* a prefix stays fully hidden.
  const prefix = KNOWN_PREFIXES.find((p) => value.startsWith(p) && value.length > p.length) ?? "";
  return `${prefix}…(${value.length} ${unit})`;
}
