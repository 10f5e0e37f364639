/**
 * core/v1 Events about the controller's resources, as client-go's recorder writes them: an Event about a
 * cluster-scoped object goes to the `default` namespace (record.makeEvent), `source.component` and
 * `reportingComponent` name the controller. Messages come from the pure core and never hold a secret.
 */
import type { KubeObject } from "../../kube-model/index.js";
import { metaTime } from "../conditions.js";
import type { EventNote } from "../credential-state.js";

export const CONTROLLER_COMPONENT = "pullwarden-controller";

export function eventFor(involved: KubeObject, note: EventNote, now: Date, instance: string): KubeObject {
  const namespace = involved.metadata.namespace ?? "default";
  const time = metaTime(now);
  return {
    apiVersion: "v1",
    kind: "Event",
    metadata: { generateName: `${involved.metadata.name ?? "object"}.`, namespace },
    involvedObject: {
      apiVersion: involved.apiVersion,
      kind: involved.kind,
      name: involved.metadata.name,
      ...(involved.metadata.namespace ? { namespace: involved.metadata.namespace } : {}),
      ...(involved.metadata.uid ? { uid: involved.metadata.uid } : {}),
    },
    reason: note.reason,
    message: note.message.slice(0, 1024),
    type: note.type,
    firstTimestamp: time,
    lastTimestamp: time,
    count: 1,
    source: { component: CONTROLLER_COMPONENT },
    reportingComponent: `pullwarden.io/${CONTROLLER_COMPONENT}`,
    reportingInstance: instance,
  };
}
