/**
 * Durations as Kubernetes tools write them. kubectl's `--request-timeout` (client-go `clientcmd.ParseTimeout`)
 * takes a bare integer as seconds, otherwise a Go duration (`time.ParseDuration`: `1h2m3.5s`, `300ms`, units
 * ns, us, µs, ms, s, m, h). Pure; the CLI wraps it with flag names and limits.
 *
 * https://pkg.go.dev/time#ParseDuration
 * https://github.com/kubernetes/client-go/blob/master/tools/clientcmd/client_config.go (ParseTimeout)
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const GO_DURATION = /^([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)/;

/** Go's `time.ParseDuration`, in milliseconds; `undefined` when Go would refuse the text. */
export function parseGoDuration(text: string): number | undefined {
  let rest = text;
  let sign = 1;
  if (rest.startsWith("-") || rest.startsWith("+")) {
    sign = rest.startsWith("-") ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === "0") return 0;
  if (rest === "") return undefined;
  let total = 0;
  while (rest !== "") {
    const match = GO_DURATION.exec(rest);
    if (!match) return undefined;
    const [whole, number, unit] = match as unknown as [string, string, string];
    // Go refuses "." and "s" alone: a number needs at least one digit.
    if (!/[0-9]/.test(number)) return undefined;
    total += Number(number) * (UNIT_MS[unit] ?? Number.NaN);
    rest = rest.slice(whole.length);
  }
  return Number.isFinite(total) ? sign * total : undefined;
}

/**
 * kubectl's reading of a timeout flag: a non-negative integer is seconds, anything else a Go duration.
 * Returns milliseconds, or `undefined` for text kubectl refuses.
 */
export function parseKubectlTimeout(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\+?[0-9]+$/.test(trimmed)) return Number(trimmed) * 1000;
  return parseGoDuration(trimmed);
}

/** A duration for people: `15s`, `2m30s`, `1h`, `250ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  let seconds = Math.round(ms / 1000);
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  return (
    [hours ? `${hours}h` : "", minutes ? `${minutes}m` : "", seconds ? `${seconds}s` : ""].join("") || "0s"
  );
}

/**
 * Go's `time.Duration.String()` for a whole number of seconds (`11h45m0s`, `45m0s`, `30s`, `0s`), as Kubernetes
 * writes a `metav1.Duration`; sub-second parts are dropped.
 */
export function formatGoDuration(ms: number): string {
  let seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds === 0) return "0s";
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}
