/**
 * How `apply` reports: kubectl-like lines (`NAMESPACE: secret/NAME created`), warnings, refusals and errors on
 * stderr with their hints, a summary line, or one stable JSON document with `-o json` (docs/apply.md).
 */
import type { ApplyItemResult, ApplyResult } from "../../../apply/index.js";
import { plural } from "../../../text/index.js";
import type { CliIo } from "../../io.js";
import { progressLine, toJson } from "../../output.js";

function line(item: ApplyItemResult): string {
  const where = item.namespace ? `${item.namespace}: ` : "";
  const object = item.object ? `${item.object} ` : "";
  return `${where}${object}${item.message}`;
}

const SERVER_GONE = "the API server stopped answering";
const MAX_LISTED = 5;

export function renderApplyText(result: ApplyResult, io: CliIo, diff: string | undefined): void {
  if (diff !== undefined) io.stdout.write(diff === "" ? "no changes\n" : diff);
  // Once the API server is gone, every remaining item says so: one line for all of them.
  const gone = result.items.filter(
    (i) => (i.status === "failed" || i.status === "skipped") && i.message.endsWith(SERVER_GONE),
  );
  for (const item of result.items) {
    if (gone.length > 1 && gone.includes(item)) {
      if (item === gone[0]) {
        const listed = gone.slice(0, MAX_LISTED).map((i) => `${i.namespace}/${i.object}`);
        const more = gone.length > MAX_LISTED ? ` and ${gone.length - MAX_LISTED} more` : "";
        io.stderr.write(
          `error: ${gone.length} changes not made, ${SERVER_GONE}: ${listed.join(", ")}${more}\n`,
        );
      }
      continue;
    }
    switch (item.status) {
      case "changed":
      case "unchanged":
        io.stdout.write(`${line(item)}\n`);
        break;
      case "warning":
        io.stderr.write(`warning: ${line(item)}\n`);
        if (item.hint) io.stderr.write(`  hint: ${item.hint}\n`);
        break;
      case "refused":
        io.stderr.write(`refused: ${line(item)}\n`);
        if (item.hint) io.stderr.write(`  hint: ${item.hint}\n`);
        break;
      case "failed":
      case "skipped":
        io.stderr.write(`error: ${line(item)}\n`);
        if (item.hint) io.stderr.write(`  hint: ${item.hint}\n`);
        break;
    }
  }
  const s = result.summary;
  const parts = [
    `${s.changed} changed`,
    `${s.unchanged} unchanged`,
    ...(s.refused ? [`${s.refused} refused`] : []),
    ...(s.failed ? [`${s.failed} failed`] : []),
    ...(s.skipped ? [`${s.skipped} not attempted`] : []),
    ...(s.warnings ? [plural(s.warnings, "warning")] : []),
  ];
  const dry = result.dryRun === "none" ? "" : result.dryRun === "client" ? " (dry run)" : " (server dry run)";
  io.stdout.write(
    `${plural(s.namespaces, "namespace")} in context ${result.context}${dry}: ${parts.join(", ")}; ${plural(s.reads + s.writes, "API request")} (${plural(s.writes, "write")})\n`,
  );
  if (result.exitCode !== 0) {
    io.stderr.write(
      result.exitCode === 1
        ? "apply refused some changes (see above): nothing it does not own was touched\n"
        : "apply did not finish everything (see above); fix the cause and re-run: it converges\n",
    );
  }
}

export function renderApplyJson(result: ApplyResult, io: CliIo, diff: string | undefined): void {
  const document = {
    apiVersion: "pullwarden.io/v1alpha1",
    kind: "ApplyResult",
    context: result.context,
    server: result.server,
    dryRun: result.dryRun,
    exitCode: result.exitCode,
    summary: result.summary,
    items: result.items.map((item) => ({
      namespace: item.namespace,
      object: item.object,
      action: item.action,
      status: item.status,
      message: item.message,
      ...(item.hint ? { hint: item.hint } : {}),
    })),
    ...(diff !== undefined ? { diff } : {}),
  };
  io.stdout.write(toJson(document));
}

/** Progress on the progress line (a terminal's stderr; nothing when piped): `applying 3/40 namespaces`. */
export function progressReporter(io: CliIo): {
  update: (progress: { phase: string; done: number; total: number }) => void;
  end: () => void;
} {
  const line = progressLine(io);
  return {
    update: ({ phase, done, total }) =>
      line.show(`${phase === "read" ? "reading" : "applying"} ${done}/${total} namespaces`),
    end: () => line.end(),
  };
}
