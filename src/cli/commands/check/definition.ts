// `pullwarden check IMAGE... [-f FILE]`: its arguments and flags, typed from this declaration. Light, as
// the command tree imports every definition: program.ts loads ./run.ts only when the command runs.
import { Command } from "@commander-js/extra-typings";
import { gitHubProbeFlags } from "../../flags/github-probe.js";
import { registryTimeoutOption, registryTlsFlags } from "../../flags/registry.js";
import { outputFormat, outputOption } from "../../flags/values.js";
import type { FlagsOf } from "../../flags/values.js";

export function checkCommand() {
  const command = new Command("check")
    .description("check, with the registry's own handshake, whether a credential can pull each image")
    .argument("[images...]", "image references, e.g. ghcr.io/org/app:1.0")
    .option(
      "-f, --filename <file>",
      "read image references from a file (one per line, # comments), - for stdin",
    )
    .option(
      "--secret <file>",
      "credentials from a Secret manifest or .dockerconfigjson (- for stdin); every credential kubelet would try is checked, in kubelet's order",
    )
    .option(
      "--docker-config [path]",
      "credentials from a docker config.json (default ~/.docker/config.json), resolving credential helpers",
    )
    .option(
      "--username <user>",
      "check with this username; the password is read from stdin (--password-stdin)",
    )
    .option("--password-stdin", "read the password for --username from standard input")
    .option(
      "--from-cloud",
      "check with a token your current cloud identity mints for each ECR (AWS credential chain) or ACR (Azure sign-in) registry: can this identity pull? (only when asked: without a credential source, check is anonymous, as kubelet is without one)",
    )
    .option(
      "--no-github-probe",
      "do not ask the GitHub API about the scopes and expiry of GitHub tokens checked against ghcr.io",
    )
    .option("--platform <os/arch[/variant]>", "also require an image for this platform, e.g. linux/arm64");
  return gitHubProbeFlags(registryTlsFlags(command))
    .option("--concurrency <n>", "checks to run at once", "8")
    .addOption(registryTimeoutOption())
    .addOption(
      outputOption(["text", "json"], "output format (table: an older name for text)")
        // After choices(): accepts the older name too, while the help lists only text and json.
        .argParser(outputFormat(["text", "json"], { table: "text" }))
        .default("text"),
    );
}

export type CheckFlags = FlagsOf<ReturnType<typeof checkCommand>>;
