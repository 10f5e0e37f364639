// Kept in step with package.json by test/version.test.ts; a constant keeps `--version` free of file reads.
export const VERSION = "0.1.0";

// Defined (true) by scripts/build-binaries.mjs in the single executables only.
declare const PULLWARDEN_SINGLE_EXECUTABLE: boolean | undefined;

/** What `--version` prints: the version, and in a single executable the Node.js it embeds. */
export function versionLine(): string {
  return typeof PULLWARDEN_SINGLE_EXECUTABLE === "boolean"
    ? `${VERSION} (single executable, Node.js ${process.version})`
    : VERSION;
}
