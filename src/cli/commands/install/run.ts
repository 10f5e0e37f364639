/** `pullwarden install`: prints the pre-rendered chart (src/install/manifest.generated.ts). */
import type { CliIo } from "../../io.js";

export async function runInstall(io: CliIo): Promise<number> {
  const { INSTALL_MANIFEST } = await import("../../../install/manifest.generated.js");
  io.stdout.write(INSTALL_MANIFEST);
  return 0;
}
