/**
 * A command's world for the credential sources (src/cloud/): its files and stdin (capped reads, a prompt on a
 * terminal), environment, clock, docker config with its credential helpers, the process runner and warnings.
 * Shared by the payload flags (secret create, apply) and check's keychains. Its own module, free of flag
 * declarations: the commands that load it when they run (check) load no commander with it (cli/fast-path/).
 */
import type { InputSize, SourcePorts } from "../../cloud/source.js";
import type { RunProcess } from "../../process/bounded-exec.js";
import type { CliIo } from "../io.js";

/** This command's world for the credential sources: its files, stdin, environment, clock and docker config. */
export async function sourcePorts(io: CliIo, exec?: RunProcess): Promise<SourcePorts> {
  const { displayLine } = await import("../../doctor/redact.js");
  // The readers and the process runner load when a source uses them (their built-ins cost start-up time).
  const readInput = (path: string, size: InputSize) =>
    import("../read-input.js").then(({ MAX_MANIFEST_INPUT_BYTES, MAX_SECRET_INPUT_BYTES, readText }) =>
      readText(path, io, size === "secret" ? MAX_SECRET_INPUT_BYTES : MAX_MANIFEST_INPUT_BYTES),
    );
  return {
    env: io.env,
    cwd: io.cwd,
    now: io.now,
    readFile: readInput,
    readStdin: (size, purpose) => {
      if (purpose === "password" && io.stdin.isTTY) {
        io.stderr.write("Password (input is read until end of file): ");
      }
      return readInput("-", size);
    },
    exec:
      exec ??
      (async (command, args, options) =>
        (await import("../../process/bounded-exec.js")).runBounded(command, args, options)),
    async dockerConfig(path, registries) {
      const { openDockerConfig } = await import("./docker-config.js");
      const config = await openDockerConfig(path ?? true, io);
      return { path: config.path, credentials: await config.resolve(registries) };
    },
    displayLine,
    warn(message, fix) {
      io.stderr.write(`warning: ${message}\n`);
      if (fix) io.stderr.write(`  fix: ${fix}\n`);
    },
  };
}
