// Reading a layout file and reporting its problems: shared by `plan -f` and `apply -f`.
import { InputError } from "../../../errors.js";
import type { LayoutError } from "../../../plan/index.js";
import type { CliIo } from "../../io.js";
import { readText } from "../../read-input.js";

/** Same limit as `plan.MAX_LAYOUT_BYTES`, kept here so a huge file is refused before the plan module loads. */
const MAX_LAYOUT_INPUT_BYTES = 1024 * 1024;

export async function readLayout(file: string, io: CliIo): Promise<string> {
  try {
    return await readText(file, io, MAX_LAYOUT_INPUT_BYTES);
  } catch (error) {
    if (error instanceof InputError && error.code === "E_INPUT_TOO_LARGE") {
      throw new InputError(error.code, error.message.replace("input is", "the layout is"), {
        source: file,
        hint: "a layout lists a cluster, its registries and namespaces: a few kilobytes",
      });
    }
    throw error;
  }
}

/** Every problem of the layout, one line each with file:line:column and field. Returns the exit code. */
export function reportLayoutError(error: LayoutError, io: CliIo): number {
  for (const problem of error.problems) {
    io.stderr.write(`error: ${error.describe(problem)}\n`);
    if (problem.hint) io.stderr.write(`  hint: ${problem.hint}\n`);
  }
  if (error.problems.length === 0) io.stderr.write(`error: ${error.message}\n`);
  if (error.problems.every((p) => !p.hint) && error.hint) io.stderr.write(`hint: ${error.hint}\n`);
  return error.exitCode;
}
