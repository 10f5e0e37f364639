/**
 * Platforms (`os/architecture[/variant]`) and matching, following containerd's `platforms` package for the
 * common cases: names are normalised (`x86_64` → amd64, `aarch64` → arm64, `armhf` → arm/v7 ...), arm64's
 * default variant is v8 (so `arm64` and `arm64/v8` are the same platform), 32-bit arm's default is v7, and
 * amd64 ignores the variant (amd64/v2, /v3 images run on any amd64 node kubelet would pick them for).
 */

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

function normalizeOs(os: string): string {
  const lower = os.trim().toLowerCase();
  return lower === "macos" ? "darwin" : lower;
}

/** Normalised architecture and variant (containerd `normalizeArch`); variant "" means "default". */
function normalizeArch(architecture: string, variant: string | undefined): { arch: string; variant: string } {
  const arch = architecture.trim().toLowerCase();
  const v = (variant ?? "").trim().toLowerCase();
  switch (arch) {
    case "i386":
      return { arch: "386", variant: "" };
    case "x86_64":
    case "x86-64":
    case "amd64":
      return { arch: "amd64", variant: v === "v1" ? "" : v };
    case "aarch64":
    case "arm64":
      if (v === "8" || v === "v8" || v === "v8.0") return { arch: "arm64", variant: "" };
      if (v === "9" || v === "9.0" || v === "v9.0") return { arch: "arm64", variant: "v9" };
      return { arch: "arm64", variant: v };
    case "armhf":
      return { arch: "arm", variant: "v7" };
    case "armel":
      return { arch: "arm", variant: "v6" };
    case "arm":
      if (v === "" || v === "7") return { arch: "arm", variant: "v7" };
      if (v === "5" || v === "6" || v === "8") return { arch: "arm", variant: `v${v}` };
      return { arch: "arm", variant: v };
    default:
      return { arch, variant: v };
  }
}

/** The normalised form of a platform (variant omitted when it is the architecture's default). */
export function normalizePlatform(p: Platform): Platform {
  const { arch, variant } = normalizeArch(p.architecture, p.variant);
  return { os: normalizeOs(p.os), architecture: arch, ...(variant ? { variant } : {}) };
}

/**
 * Whether an image built for `candidate` is what a node of platform `wanted` pulls: same OS and architecture
 * after normalisation, same variant except on amd64 (variant ignored).
 */
export function platformMatches(wanted: Platform, candidate: Platform): boolean {
  const w = normalizePlatform(wanted);
  const c = normalizePlatform(candidate);
  if (w.os !== c.os || w.architecture !== c.architecture) return false;
  if (w.architecture === "amd64") return true;
  return (w.variant ?? "") === (c.variant ?? "");
}

/** `linux/arm64/v8` → platform; undefined for anything else than 2 or 3 non-empty parts. */
export function parsePlatform(text: string): Platform | undefined {
  const parts = text.trim().split("/");
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === "")) return undefined;
  const [os, architecture, variant] = parts as [string, string, string | undefined];
  return { os, architecture, ...(variant ? { variant } : {}) };
}

/** `os/architecture[/variant]`, as written (not normalised). */
export function formatPlatform(p: Platform): string {
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ""}`;
}
