/**
 * The world credential sources are read from inside the controller: a static source's Secret is served from the
 * informer cache of the controller's namespace (the path `secret/NAMESPACE/NAME`, see ../refresh.ts), cloud
 * tokens are minted by src/cloud with the process environment (IRSA, workload identity); nothing reads
 * standard input or a docker config.
 */
import { InputError } from "../../errors.js";
import type { SourcePorts } from "../../cloud/source.js";
import type { KubeObject } from "../../kube-model/index.js";
import { runBounded } from "../../process/bounded-exec.js";
import { redactText } from "../../registry/index.js";

export function controllerSourcePorts(options: {
  readonly secret: (namespace: string, name: string) => KubeObject | undefined;
  readonly now: () => Date;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly warn: (message: string) => void;
}): SourcePorts {
  const unavailable = (what: string) => () =>
    Promise.reject(new InputError("E_SOURCE_UNSUPPORTED", `the controller cannot read ${what}`));
  return {
    env: options.env ?? process.env,
    cwd: "/",
    now: options.now,
    readFile: (path) => {
      const match = /^secret\/([^/]+)\/([^/]+)$/.exec(path);
      const secret = match ? options.secret(match[1] ?? "", match[2] ?? "") : undefined;
      if (!match || !secret) {
        return Promise.reject(
          new InputError("E_INPUT_UNREADABLE", `${path} not found`, {
            hint: "create the Secret in the controller's namespace (kubectl create secret docker-registry ...)",
          }),
        );
      }
      return Promise.resolve(JSON.stringify(secret));
    },
    readStdin: unavailable("standard input"),
    exec: runBounded,
    dockerConfig: unavailable("a docker config"),
    displayLine: (text) => redactText(text).replace(/\s+/g, " ").trim(),
    warn: (message) => options.warn(message),
  };
}
