/**
 * check's flags as the fast path reads them (cli/fast-path/), computed from its definition. The build replaces
 * this module with the same value as JSON (scripts/fast-path-build.mjs), so the fast chunks never load commander.
 */
import type { Command } from "commander";
import { commandFlagSpec } from "../../fast-path/flag-spec.js";
import type { CommandFlagSpec } from "../../fast-path/flag-spec.js";
import { collect } from "../../flags/values.js";
import { checkCommand } from "./definition.js";

export const CHECK_FLAG_SPEC: CommandFlagSpec = commandFlagSpec(
  // The same object: extra-typings only adds types to commander's classes.
  checkCommand() as unknown as Command,
  new Map<unknown, "repeatable" | readonly string[]>([[collect, "repeatable"]]),
);
