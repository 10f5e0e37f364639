/** Machine output: stable 2-space JSON with a trailing newline; Dates as RFC 3339 strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}
