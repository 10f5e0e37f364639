/**
 * The command tree: the program's own settings, and each command's definition (its arguments and flags) from
 * its folder under commands/, with an action that loads the command's run. Only commander and those light
 * definitions are imported here, so `pullwarden --version` and `--help` never load YAML, the Kubernetes client or
 * cloud SDKs (DESIGN.md §3; test/cli/startup-imports.test.ts).
 */
import { Command } from "@commander-js/extra-typings";
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import type { Command as ProgramCommand } from "commander";
import { versionLine } from "../version.js";
import type { CommandContext } from "./io.js";
import { applyCommand } from "./commands/apply/definition.js";
import { auditCommand } from "./commands/audit/definition.js";
import { checkCommand } from "./commands/check/definition.js";
import { controllerRunCommand } from "./commands/controller/definition.js";
import { installCommand } from "./commands/install/definition.js";
import {
  credentialProviderCommand,
  credentialProviderExecCommand,
  credentialProviderValidateConfigCommand,
} from "./commands/credential-provider/definition.js";
import { doctorCommand } from "./commands/doctor/definition.js";
import { explainCommand } from "./commands/explain/definition.js";
import { initCommand } from "./commands/init/definition.js";
import { planCommand } from "./commands/plan/definition.js";
import { secretCreateCommand } from "./commands/secret-create/definition.js";
import { secretInspectCommand } from "./commands/secret-inspect/definition.js";
import { secretMatchCommand } from "./commands/secret-match/definition.js";
import { statusCommand } from "./commands/status/definition.js";

/** Adds a command declared on its own, with the settings `.command()` would have copied from its parent. */
function addTo(parent: CommandUnknownOpts, child: CommandUnknownOpts): void {
  parent.addCommand(child.copyInheritedSettings(parent));
}

/**
 * The program for one run; actions leave their exit code in `context`. Returned as commander's own Command type:
 * callers walk the tree and parse, the typed flags matter only inside each command's definition.
 */
export function buildProgram(context: CommandContext, invokedAs = "pullwarden"): ProgramCommand {
  const { io } = context;
  const program = new Command(invokedAs)
    .description(
      "Secure, boring private-registry image pulls for Kubernetes (ACR, ECR, GHCR, any OCI registry).",
    )
    .version(versionLine(), "--version", "print the version and exit")
    .helpOption("-h, --help", "show help")
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .exitOverride()
    .addHelpText(
      "after",
      `
Exit codes: 0 ok; 1 findings or failed check; 2 usage; 3 invalid input; 4 environment; 5 internal error.
Docs: https://github.com/pullwarden/pullwarden#readme`,
    );

  const secret = program
    .command("secret")
    .description("create, inspect and match image pull secrets (kubernetes.io/dockerconfigjson)");
  // Each action loads its command's run (the flags' types come from the definition: a run that expects
  // anything else fails to compile) and leaves the exit code it returns for run.ts.
  addTo(
    secret,
    secretCreateCommand().action(async (name, flags) => {
      const { runSecretCreate } = await import("./commands/secret-create/run.js");
      context.exitCode = await runSecretCreate(name, flags, io);
    }),
  );
  addTo(
    secret,
    secretInspectCommand().action(async (file, flags) => {
      const { runSecretInspect } = await import("./commands/secret-inspect/run.js");
      context.exitCode = await runSecretInspect(file, flags, io);
    }),
  );
  addTo(
    secret,
    secretMatchCommand().action(async (image, file, flags) => {
      const { runSecretMatch } = await import("./commands/secret-match/run.js");
      context.exitCode = await runSecretMatch(image, file, flags, io);
    }),
  );
  addTo(
    program,
    auditCommand().action(async (paths, flags) => {
      const { runAudit } = await import("./commands/audit/run.js");
      context.exitCode = await runAudit(paths, flags, io);
    }),
  );
  addTo(
    program,
    checkCommand().action(async (images, flags) => {
      const { runCheck } = await import("./commands/check/run.js");
      context.exitCode = await runCheck(images, flags, io);
    }),
  );
  addTo(
    program,
    applyCommand().action(async (name, flags) => {
      const { runApply } = await import("./commands/apply/run.js");
      context.exitCode = await runApply(name, flags, io);
    }),
  );
  addTo(
    program,
    planCommand().action(async (flags) => {
      const { runPlan } = await import("./commands/plan/run.js");
      context.exitCode = await runPlan(flags, io);
    }),
  );
  addTo(
    program,
    initCommand().action(async (flags) => {
      const { runInit } = await import("./commands/init/run.js");
      context.exitCode = await runInit(flags, io);
    }),
  );
  addTo(
    program,
    explainCommand().action(async (file, flags) => {
      const { runExplain } = await import("./commands/explain/run.js");
      context.exitCode = await runExplain(file, flags, io);
    }),
  );
  addTo(
    program,
    doctorCommand().action(async (pod, flags) => {
      const { runDoctor } = await import("./commands/doctor/run.js");
      context.exitCode = await runDoctor(pod, flags, io);
    }),
  );

  addTo(
    program,
    statusCommand().action(async (flags) => {
      const { runStatus } = await import("./commands/status/run.js");
      context.exitCode = await runStatus(flags, io);
    }),
  );

  addTo(
    program,
    installCommand().action(async () => {
      const { runInstall } = await import("./commands/install/run.js");
      context.exitCode = await runInstall(io);
    }),
  );

  const controller = program
    .command("controller")
    .description(
      "the in-cluster controller that keeps pull credentials fresh, verified and bound (docs/controller.md)",
    );
  addTo(
    controller,
    controllerRunCommand().action(async (flags) => {
      const { runController } = await import("./commands/controller/run.js");
      context.exitCode = await runController(flags, io);
    }),
  );

  // The plugin itself when run without a subcommand (as kubelet runs pullwarden-credential-provider).
  const credentialProvider = credentialProviderCommand().action(async (command, flags) => {
    const { runCredentialProvider } = await import("./commands/credential-provider/run.js");
    context.exitCode = await runCredentialProvider(command, flags, io);
  });
  addTo(program, credentialProvider);
  addTo(
    credentialProvider,
    credentialProviderValidateConfigCommand().action(async (path, flags) => {
      const { runCredentialProviderValidateConfig } = await import("./commands/credential-provider/run.js");
      context.exitCode = await runCredentialProviderValidateConfig(path, flags, io);
    }),
  );
  addTo(
    credentialProvider,
    credentialProviderExecCommand().action(async (flags) => {
      const { runCredentialProviderExec } = await import("./commands/credential-provider/run.js");
      context.exitCode = await runCredentialProviderExec(flags, io);
    }),
  );

  // The same object: extra-typings only adds types to commander's classes.
  return program as unknown as ProgramCommand;
}
