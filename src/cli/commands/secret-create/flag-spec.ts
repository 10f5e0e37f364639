/**
 * secret create's flags as the fast path reads them (cli/fast-path/), computed from its definition. The build
 * replaces this module with the same value as JSON (scripts/bundle.mjs), so the fast chunk never loads commander.
 */
import type { Command } from "commander";
import { commandFlagSpec } from "../../fast-path/flag-spec.js";
import type { CommandFlagSpec } from "../../fast-path/flag-spec.js";
import { collect } from "../../flags/values.js";
import { DRY_RUN_STRATEGIES, parseDryRun, secretCreateCommand } from "./definition.js";

export const SECRET_CREATE_FLAG_SPEC: CommandFlagSpec = commandFlagSpec(
  // The same object: extra-typings only adds types to commander's classes.
  secretCreateCommand() as unknown as Command,
  new Map<unknown, "repeatable" | readonly string[]>([
    [collect, "repeatable"],
    [parseDryRun, DRY_RUN_STRATEGIES],
  ]),
);
