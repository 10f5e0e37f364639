// Node identities from a pullwarden layout file: the registries `plan` decides to pull with the cluster's cloud
// identity or a kubelet credential provider need no Secret, so the audit counts them as a pull path.
import type { NodeIdentity } from "../audit/index.js";
import type { CliIo } from "./io.js";
import { readText } from "./read-input.js";

export async function nodeIdentitiesFromLayout(path: string, io: CliIo): Promise<NodeIdentity[]> {
  const { MAX_LAYOUT_BYTES, planFromLayoutText } = await import("../plan/index.js");
  const source = path === "-" ? "stdin" : path;
  const plan = planFromLayoutText(await readText(path, io, MAX_LAYOUT_BYTES), { source, now: io.now() });
  return plan.decisions
    .filter((decision) => decision.method === "identity" || decision.method === "credential-provider")
    .map((decision) => ({
      matchImages: [decision.host],
      label: `${decision.method === "identity" ? "cloud identity" : "kubelet credential provider"} from ${source}: ${decision.summary}`,
      source: `${source} (registry ${decision.registry})`,
    }));
}
