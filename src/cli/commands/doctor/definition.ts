// `pullwarden doctor [POD|deploy/NAME] [--all]`: its arguments and flags, typed from this declaration.
// Light, as the command tree imports every definition: program.ts loads ./run.ts only when the command runs.
import { Command } from "@commander-js/extra-typings";
import { clusterFlags } from "../../flags/cluster.js";
import { gitHubProbeFlags } from "../../flags/github-probe.js";
import { registryTimeoutOption, registryTlsFlags } from "../../flags/registry.js";
import { collect, outputOption } from "../../flags/values.js";
import type { FlagsOf } from "../../flags/values.js";

export function doctorCommand() {
  const command = new Command("doctor")
    .description(
      "why Pods cannot pull their images, from the live cluster: ranked causes, evidence and the exact fix",
    )
    .argument("[pod]", "a Pod name, or deploy/NAME for the Pods of a Deployment")
    .option(
      "-n, --namespace <names>",
      "the namespace (default: the context's); with --all: repeatable or comma-separated",
      collect,
    )
    .option("--all", "every Pod with image-pull trouble in the namespace(s), grouped by cause", false)
    .option("-A, --all-namespaces", "with --all: every namespace (cluster-wide lists)", false);
  const withProbe = clusterFlags(command)
    .addOption(outputOption(["text", "json"]).default("text"))
    .option(
      "--probe",
      "also ask the registry, with each credential kubelet would try and anonymously (from here, not the node), and the GitHub API about the scopes and expiry of GitHub tokens for ghcr.io",
      false,
    );
  return gitHubProbeFlags(registryTlsFlags(withProbe, "with --probe: "), "with --probe: ").addOption(
    registryTimeoutOption("with --probe: "),
  );
}

export type DoctorFlags = FlagsOf<ReturnType<typeof doctorCommand>>;
