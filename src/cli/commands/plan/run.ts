/**
 * `pullwarden plan -f LAYOUT [-o DIR]`: the pull setup for every (cluster, registry) pair of a layout, with the
 * reasons. Without -o a summary goes to stdout; with -o the numbered files are written into a new directory,
 * atomically (a temporary sibling directory renamed into place; nothing is left behind on failure).
 */
import { ExitCode, UsageError } from "../../../errors.js";
import type { Plan, SecretValue } from "../../../plan/index.js";
import type { CliIo } from "../../io.js";
import { MAX_SECRET_INPUT_BYTES, readText } from "../../read-input.js";
import { outputTarget } from "../../write-output.js";
import type { PlanFlags } from "./definition.js";
import { readLayout, reportLayoutError } from "./layout-input.js";
import { renderWrittenPlan } from "./render.js";
import { writePlanDirectory } from "./write-directory.js";

export async function runPlan(options: PlanFlags, io: CliIo): Promise<number> {
  const file = options.filename;
  if (file === undefined || file === "") {
    throw new UsageError("plan needs a layout: -f LAYOUT", {
      hint: "pullwarden init writes a starter layout",
    });
  }
  if (options.includeSecrets && options.output === undefined) {
    throw new UsageError("--include-secrets needs -o DIR: secret values are never printed", {
      hint: "pullwarden plan -f LAYOUT -o DIR --include-secrets",
    });
  }
  if (options.output === "-") {
    throw new UsageError("plan -o takes a directory; - (standard output) is not one", {
      hint: "without -o, plan prints its summary on standard output (for a directory named -, write -o ./-)",
    });
  }
  // Checked before anything is read: an empty -o would name the working directory.
  const target = options.output === undefined ? undefined : outputTarget(options.output, io);
  const source = file === "-" ? "stdin" : file;
  const text = await readLayout(file, io);
  const plan = await import("../../../plan/index.js");

  let layout;
  try {
    layout = plan.parseLayout(text, { source, now: io.now() });
  } catch (error) {
    if (error instanceof plan.LayoutError) return reportLayoutError(error, io);
    throw error;
  }
  const result = plan.planLayout(layout, { now: io.now() });

  if (target === undefined) {
    io.stdout.write(plan.renderPlanSummary(result, { layoutSource: source }));
    return ExitCode.ok;
  }
  const secretValues = options.includeSecrets ? await readSecretValues(result, io) : undefined;
  const files = plan.renderPlanFiles(result, {
    layoutSource: source,
    ...(secretValues ? { secretValues } : {}),
  });
  const { kept } = await writePlanDirectory(target, files, { force: options.force }, io);
  io.stderr.write(
    renderWrittenPlan({
      files: files.length,
      directory: target.show(target.absolute),
      ...(kept ? { kept: target.show(kept) } : {}),
      warnings: result.warnings,
    }),
  );
  return ExitCode.ok;
}

/** `--include-secrets`: the values of static secrets, read from the sources the layout names. */
async function readSecretValues(plan: Plan, io: CliIo): Promise<Map<string, SecretValue>> {
  const values = new Map<string, SecretValue>();
  for (const decision of plan.decisions) {
    if (decision.method !== "secret" || decision.namespaces.length === 0) continue;
    const source = decision.source;
    if (source?.kind === "env") {
      const password = io.env[source.passwordEnv];
      if (password === undefined || password === "") {
        throw new UsageError(
          `--include-secrets: ${source.passwordEnv} is not set (registry ${decision.registry}, ${decision.host})`,
          {
            hint: `export ${source.passwordEnv}, or plan without --include-secrets and run the secret script`,
          },
        );
      }
      values.set(decision.registry, { server: source.server, username: source.username, password });
    } else if (source?.kind === "password-file") {
      const password = (await readText(source.passwordFile, io, MAX_SECRET_INPUT_BYTES)).replace(
        /\r?\n$/,
        "",
      );
      values.set(decision.registry, { server: source.server, username: source.username, password });
    } else {
      io.stderr.write(
        `warning: --include-secrets: ${decision.registry} reads a docker config (credential helpers run only in the secret script); its secret stays in the script\n`,
      );
    }
  }
  return values;
}
