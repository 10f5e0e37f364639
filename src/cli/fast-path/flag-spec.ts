/**
 * A command's flags as plain data, read from its commander definition: the one source of truth for the fast
 * path (parse.ts), which must accept exactly what commander accepts without loading commander. The build
 * (scripts/bundle.mjs) computes the spec from the definition and writes it into the fast chunk as JSON; tests
 * and in-process runs compute it live, so a flag added to a definition reaches the fast path with no second
 * list to keep in step.
 *
 * Only what the fast path can reproduce exactly is described; anything else (an option read from the
 * environment, conflicts, implied values, a value parser it does not know) makes the option, or the command,
 * commander's alone: the fast path then hands the whole command line to commander.
 */
import type { Command, Option } from "commander";

/** How an option's value is checked and stored, as commander's parser for it does. */
export type FlagValues =
  /** Stored as given (a variadic option collects them into an array, as commander does). */
  | { readonly kind: "any" }
  /** Each occurrence appends its value to an array (`collect` in flags/values.ts). */
  | { readonly kind: "repeatable" }
  /** Only these values; anything else is commander's to refuse. Stored as given. */
  | { readonly kind: "one-of"; readonly values: readonly string[] };

export interface FlagSpec {
  /** `docker-server` for `--docker-server`. */
  readonly long: string;
  /** `n` for `-n`. */
  readonly short?: string;
  /** The key in the parsed flags (commander's attribute name: `dockerServer`, `creationTimestamp`). */
  readonly key: string;
  /** none: a switch; required: `<value>`; optional: `[value]`. */
  readonly arity: "none" | "required" | "optional";
  readonly variadic: boolean;
  /** `--no-x`: stores false. */
  readonly negate: boolean;
  /** The value stored when an optional option is given without one (commander's presetArg), else true. */
  readonly preset?: unknown;
  /** Values the fast path cannot reproduce: given this option, commander parses the whole command line. */
  readonly values: FlagValues | "commander-only";
}

export interface CommandFlagSpec {
  readonly flags: readonly FlagSpec[];
  /** The parsed flags before any is given (commander's defaults, negated switches true). */
  readonly defaults: Readonly<Record<string, unknown>>;
  /** Positional arguments: how many must be given, and how many more may be (unbounded for a variadic last). */
  readonly operands: { readonly required: number; readonly optional: number; readonly variadic: boolean };
  /** Why the fast path must never take this command, if it must not. */
  readonly unsupported?: string;
}

/**
 * Parsers the fast path can reproduce, by identity: `repeatable` for flags/values.ts' `collect`, or the closed
 * list of values a parser accepts and returns unchanged (secret create's --dry-run strategies).
 */
export type KnownParsers = ReadonlyMap<unknown, "repeatable" | readonly string[]>;

export function commandFlagSpec(command: Command, knownParsers: KnownParsers): CommandFlagSpec {
  const defaults: Record<string, unknown> = {};
  const flags: FlagSpec[] = [];
  let unsupported: string | undefined;
  for (const option of command.options) {
    const key = option.attributeName();
    if (option.negate) {
      // commander: --no-x defaults x to true unless a --x option is declared too.
      const positive = option.long?.replace(/^--no-/, "--");
      if (!command.options.some((other) => other.long === positive)) {
        defaults[key] = option.defaultValue === undefined ? true : option.defaultValue;
      }
    } else if (option.defaultValue !== undefined) {
      defaults[key] = option.defaultValue;
    }
    // Read even when the flag is absent, or shaping other flags: commander's alone.
    // Set by .conflicts() and .implies(), which commander's typings leave out.
    const { conflictsWith, implied } = option as Option & { conflictsWith?: string[]; implied?: object };
    if (option.envVar !== undefined || option.mandatory || (conflictsWith?.length ?? 0) > 0) {
      unsupported ??= `--${option.name()} has an environment variable, is mandatory or conflicts with others`;
    }
    if (implied !== undefined) unsupported ??= `--${option.name()} implies other values`;
    if (option.long === undefined) {
      unsupported ??= `${option.flags} has no long name`;
      continue;
    }
    flags.push({
      long: option.long.slice(2),
      ...(option.short !== undefined ? { short: option.short.slice(1) } : {}),
      key,
      arity: option.required ? "required" : option.optional ? "optional" : "none",
      variadic: option.variadic,
      negate: option.negate,
      ...(option.presetArg !== undefined ? { preset: option.presetArg } : {}),
      values: valuesOf(option, knownParsers),
    });
  }
  const args = command.registeredArguments;
  if (args.some((arg) => arg.parseArg !== undefined || arg.defaultValue !== undefined)) {
    unsupported ??= "its arguments have parsers or defaults";
  }
  const required = args.filter((arg) => arg.required).length;
  // commander's order: required ones first, then optional ones, a variadic one last.
  if (args.slice(0, required).some((arg) => !arg.required))
    unsupported ??= "an optional argument comes first";
  if (command.commands.length > 0) unsupported ??= "it has subcommands";
  const operands = {
    required: args.filter((arg) => arg.required && !arg.variadic).length,
    optional: args.filter((arg) => !arg.required && !arg.variadic).length,
    variadic: args.some((arg) => arg.variadic),
  };
  if (args.some((arg) => arg.variadic && arg.required)) unsupported ??= "a variadic argument is required";
  return { flags, defaults, operands, ...(unsupported ? { unsupported } : {}) };
}

function valuesOf(option: Option, knownParsers: KnownParsers): FlagValues | "commander-only" {
  if (option.parseArg === undefined) return { kind: "any" };
  const known = knownParsers.get(option.parseArg);
  if (known === "repeatable") return { kind: "repeatable" };
  if (known !== undefined) return { kind: "one-of", values: [...known] };
  // `.choices()`: commander's parser accepts the listed values and returns them unchanged. Checked, not
  // assumed: a parser set after `.choices()` (older -o names) may map them, and then commander decides.
  const choices = option.argChoices;
  if (choices !== undefined && !option.variadic && choices.every((c) => parsesTo(option, c, c))) {
    return { kind: "one-of", values: [...choices] };
  }
  return "commander-only";
}

function parsesTo(option: Option, value: string, expected: string): boolean {
  try {
    return option.parseArg?.(value, undefined) === expected;
  } catch {
    return false;
  }
}
