/**
 * `pullwarden status`: the cluster's controller resources and docker-config Secrets (load.ts) → the pure view
 * (src/controller/status-view.ts) → text, JSON or one self-contained HTML page on stdout. Exit 0 when it could
 * read the cluster (what is not ready is content, not a failure), 4 when it could not.
 */
import { clusterConnection } from "../../flags/cluster.js";
import type { CliIo } from "../../io.js";
import { toJson } from "../../output.js";
import { VERSION } from "../../../version.js";
import type { StatusFlags } from "./definition.js";
import { loadStatusInputs } from "./load.js";

export async function runStatus(flags: StatusFlags, io: CliIo): Promise<number> {
  const connection = clusterConnection(flags, io);
  const [inputs, { buildStatusView }, { renderStatusText }, { renderStatusHtml }] = await Promise.all([
    loadStatusInputs(connection, io.now),
    import("../../../controller/status-view.js"),
    import("../../../controller/status-view-text.js"),
    import("../../../controller/status-view-html.js"),
  ]);
  const view = buildStatusView(inputs);
  switch (flags.output) {
    case "json":
      io.stdout.write(toJson(view));
      break;
    case "html":
      io.stdout.write(renderStatusHtml(view, { name: "pullwarden", version: VERSION }));
      break;
    case "text":
      io.stdout.write(renderStatusText(view));
      break;
  }
  return 0;
}
