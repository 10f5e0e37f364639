/**
 * Parsers for flag values shared by several commands, so one flag means one thing everywhere. Those a command
 * runs throw a UsageError (exit 2) that names the flag and says what is accepted; those commander runs while
 * parsing (`collect`, `outputFormat`) throw its InvalidArgumentError, which it words as `option '...' argument`.
 * Light: command definitions import this module, so it must not reach anything heavy (startup-imports test).
 */
import { InvalidArgumentError, Option } from "@commander-js/extra-typings";
import type { Command, OptionValues } from "@commander-js/extra-typings";
import { parseKubectlTimeout } from "../../duration.js";
import { UsageError } from "../../errors.js";

/** The flag values of a declared command, as commander parses them (the type a command's run receives). */
export type FlagsOf<Declared extends { opts(): OptionValues }> = ReturnType<Declared["opts"]>;

/**
 * Flags several commands share, as a function that adds them to any command: `declare` adds them to a command
 * (commander's object, whatever flags it has) and is the declaration their type is inferred from, once; the
 * command they are added to keeps its inferred flags and gains these. (Chaining options onto a command whose
 * flags are a type parameter makes TypeScript's inference cost grow with every option: minutes for a dozen.)
 */
export function sharedFlags<Added extends OptionValues, Params extends unknown[]>(
  declare: (command: Command, ...params: Params) => Command<[], Added>,
) {
  return <Args extends unknown[], Opts extends OptionValues, Globals extends OptionValues>(
    command: Command<Args, Opts, Globals>,
    ...params: Params
  ): Command<Args, Opts & Added, Globals> => {
    // The same object: only its static type changes.
    declare(command as unknown as Command, ...params);
    return command as unknown as Command<Args, Opts & Added, Globals>;
  };
}

export interface DurationFlagLimits {
  /** Whether `0` is allowed (kubectl: "0 means don't time out"). */
  allowZero?: boolean;
  /** The largest accepted value, in milliseconds. */
  maxMs?: number;
}

/**
 * A duration flag in kubectl's format: a bare integer is seconds, otherwise a Go duration (`500ms`, `30s`,
 * `2m`, `1h30m`). Returns milliseconds.
 */
export function parseDurationFlag(flag: string, text: string, limits: DurationFlagLimits = {}): number {
  const ms = parseKubectlTimeout(text);
  const accepted = `a number of seconds or a duration such as 30s, 2m or 1h${limits.allowZero ? " (0: no limit)" : ""}`;
  if (ms === undefined || ms < 0 || (ms === 0 && !limits.allowZero)) {
    throw new UsageError(`${flag} ${JSON.stringify(text)}: expected ${accepted}`);
  }
  if (limits.maxMs !== undefined && ms > limits.maxMs) {
    throw new UsageError(`${flag} ${JSON.stringify(text)}: at most ${limits.maxMs / 1000} seconds`);
  }
  return ms;
}

/** A whole number of things to do at once, from 1 to `max` (`--concurrency`). */
export function parseConcurrencyFlag(flag: string, text: string, max: number): number {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || value < 1 || value > max) {
    throw new UsageError(`${flag} ${JSON.stringify(text)}: expected a whole number from 1 to ${max}`);
  }
  return value;
}

/** A repeatable flag (commander's parser): each occurrence adds its value. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** The values of a repeatable flag that also takes comma-separated lists (`-n a,b -n c`): trimmed, once each. */
export function splitList(values: readonly string[] | undefined): string[] {
  return [
    ...new Set(
      (values ?? [])
        .flatMap((v) => v.split(","))
        .map((v) => v.trim())
        .filter((v) => v !== ""),
    ),
  ];
}

/** `-o, --output <format>` with these formats (help lists them as choices). */
export function outputOption<const Formats extends readonly string[]>(
  formats: Formats,
  description = "output format",
) {
  return new Option("-o, --output <format>", description).choices(formats);
}

/**
 * An -o parser accepting `formats` and older names for them (`aliases`: old name → format). Set after
 * `.choices()`, so help lists only the formats while the older names still parse.
 */
export function outputFormat<const Format extends string>(
  formats: readonly Format[],
  aliases: Readonly<Record<string, Format>>,
): (value: string) => Format {
  return (value) => {
    const format = Object.hasOwn(aliases, value) ? aliases[value] : value;
    if (!formats.includes(format as Format)) {
      throw new InvalidArgumentError(`Allowed choices are ${formats.join(", ")}.`);
    }
    return format as Format;
  };
}
