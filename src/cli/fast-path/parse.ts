/**
 * A command line parsed as commander would parse it, with node:util's parseArgs and a flag spec (flag-spec.ts),
 * for the commands whose start-up time matters (secret create: a fraction of kubectl's, issue 16). It takes only
 * the lines it is sure about: an unknown or commander-only flag, `--`, a value that could be read two ways
 * (`--dry-run client`: commander takes `client` as the value), a short-flag group, a missing or extra argument
 * — anything else returns undefined and commander parses the line, says what is wrong, or prints help. So both
 * accept and refuse the same lines, and accepted lines parse to the same values
 * (test/cli/fast-path-parse.test.ts runs one corpus through both).
 */
import { parseArgs } from "node:util";
import type { CommandFlagSpec, FlagSpec } from "./flag-spec.js";

export interface ParsedCommandLine {
  /** The positional arguments as given (a variadic argument's values are the last ones). */
  readonly operands: string[];
  /** As commander's `opts()` would hold them. */
  readonly flags: Record<string, unknown>;
}

/** `args`: what follows the command's name (`secret create`). Undefined: commander's to parse. */
export function parseCommandLine(
  args: readonly string[],
  spec: CommandFlagSpec,
): ParsedCommandLine | undefined {
  if (spec.unsupported !== undefined) return undefined;
  const byLong = new Map(spec.flags.map((flag) => [flag.long, flag]));
  const { tokens } = parseArgs({
    args: [...args],
    options: Object.fromEntries(
      spec.flags.map((flag) => [
        flag.long,
        {
          // An optional value is read here, not by parseArgs (which has no such thing).
          type: flag.arity === "required" ? ("string" as const) : ("boolean" as const),
          ...(flag.short !== undefined ? { short: flag.short } : {}),
        },
      ]),
    ),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });

  const flags: Record<string, unknown> = { ...spec.defaults };
  const operands: string[] = [];
  const given = new Set<string>();
  let variadic: FlagSpec | undefined;
  for (const token of tokens) {
    if (token.kind === "option-terminator") return undefined;
    if (token.kind === "positional") {
      // commander gives the words after a variadic option's value to that option.
      if (variadic !== undefined) {
        if (!store(flags, given, variadic, token.value)) return undefined;
      } else {
        operands.push(token.value);
      }
      continue;
    }
    variadic = undefined;
    const flag = byLong.get(token.name);
    const raw = args[token.index] ?? "";
    if (flag === undefined || flag.values === "commander-only") return undefined;
    // The flag as written: `--long`, `--long=value`, `-s`, `-svalue`; not a group of short flags (`-ab`).
    const spelled = token.rawName === `--${flag.long}` || token.rawName === `-${flag.short ?? ""}`;
    const alone = raw === token.rawName;
    const inline = token.inlineValue === true;
    if (!spelled || !(alone || inline)) return undefined;

    let value: string | null;
    switch (flag.arity) {
      case "none":
        if (token.value !== undefined) return undefined;
        value = null;
        break;
      case "required":
        // A value that looks like a flag is given to the flag by both parsers; left to commander all the same.
        if (token.value === undefined || (!inline && token.value.length > 1 && token.value.startsWith("-"))) {
          return undefined;
        }
        value = token.value;
        break;
      case "optional": {
        if (inline) {
          value = token.value ?? "";
          break;
        }
        // commander takes the next word as the value unless it looks like a flag: ambiguous, commander's.
        const next = args[token.index + 1];
        if (next !== undefined && !(next.length > 1 && next.startsWith("-"))) return undefined;
        value = null;
        break;
      }
    }
    if (!store(flags, given, flag, value)) return undefined;
    // Only a variadic option written alone takes the following words (commander's `--merge=a b`: b is an operand).
    if (flag.variadic && alone) variadic = flag;
  }
  // Too few (commander: missing argument) or too many (commander: too many arguments): commander's to say.
  const { required, optional, variadic: rest } = spec.operands;
  if (operands.length < required || (!rest && operands.length > required + optional)) return undefined;
  return { operands, flags };
}

/** Stores one occurrence as commander's option handler does; false when only commander can judge the value. */
function store(
  flags: Record<string, unknown>,
  given: Set<string>,
  flag: FlagSpec,
  written: string | null,
): boolean {
  if (flag.values === "commander-only") return false;
  const value = written ?? (flag.preset as string | undefined) ?? null;
  const previous = given.has(flag.key) ? flags[flag.key] : undefined;
  const previousOrDefault = flags[flag.key];
  given.add(flag.key);
  if (value === null) {
    flags[flag.key] = flag.negate ? false : true;
    return true;
  }
  if (flag.arity === "none") return false; // a switch with a preset value: rare, commander's
  switch (flag.values.kind) {
    case "one-of":
      if (!flag.values.values.includes(value)) return false;
      flags[flag.key] = value;
      return true;
    case "repeatable":
      // collect(value, previous = []): appends to a default too.
      if (previousOrDefault !== undefined && !Array.isArray(previousOrDefault)) return false;
      flags[flag.key] = [...((previousOrDefault as unknown[] | undefined) ?? []), value];
      return true;
    case "any":
      if (!flag.variadic) flags[flag.key] = value;
      // commander starts a new list over a default, and appends to its own.
      else flags[flag.key] = Array.isArray(previous) ? [...(previous as unknown[]), value] : [value];
      return true;
  }
}
