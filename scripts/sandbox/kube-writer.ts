// Writes the sandbox's objects through the Kubernetes API, as any client would (JSON over HTTPS, with the
// kubeconfig's credentials), as the test suites' harness does on the same control plane. Bodies are sent exactly as
// built: no client model drops a field.
import { request } from "node:https";
import type { RequestOptions } from "node:https";
import { KubeConfig } from "@kubernetes/client-node";
import type { KubeObject } from "../../src/kube/index.js";

interface KindPath {
  /** `/api/v1` or `/apis/GROUP/VERSION`. */
  prefix: string;
  plural: string;
  namespaced: boolean;
}

/** The kinds the sandbox writes, by `apiVersion/kind`. */
const KIND_PATHS: Readonly<Record<string, KindPath>> = {
  "v1/Namespace": { prefix: "/api/v1", plural: "namespaces", namespaced: false },
  "v1/Node": { prefix: "/api/v1", plural: "nodes", namespaced: false },
  "v1/Secret": { prefix: "/api/v1", plural: "secrets", namespaced: true },
  "v1/ServiceAccount": { prefix: "/api/v1", plural: "serviceaccounts", namespaced: true },
  "v1/Pod": { prefix: "/api/v1", plural: "pods", namespaced: true },
  "v1/Event": { prefix: "/api/v1", plural: "events", namespaced: true },
  "apps/v1/Deployment": { prefix: "/apis/apps/v1", plural: "deployments", namespaced: true },
  "apps/v1/ReplicaSet": { prefix: "/apis/apps/v1", plural: "replicasets", namespaced: true },
};

export interface KubeWriter {
  /** POSTs the object; resolves to what the server stored (with uid, defaults and admission applied). */
  create(object: KubeObject): Promise<KubeObject>;
  /** PUTs the object's `status` subresource (the object must carry the stored resourceVersion or none). */
  replaceStatus(object: KubeObject): Promise<KubeObject>;
}

function collectionPath(object: KubeObject): string {
  const key = `${object.apiVersion}/${object.kind}`;
  const kind = KIND_PATHS[key];
  if (!kind) throw new Error(`the sandbox does not write ${key} objects`);
  const namespace = object.metadata.namespace;
  if (kind.namespaced && !namespace) throw new Error(`${key} ${object.metadata.name ?? ""} has no namespace`);
  const scope = kind.namespaced ? `/namespaces/${encodeURIComponent(namespace ?? "")}` : "";
  return `${kind.prefix}${scope}/${kind.plural}`;
}

function objectPath(object: KubeObject): string {
  return `${collectionPath(object)}/${encodeURIComponent(object.metadata.name ?? "")}`;
}

/** A writer for the current context of the kubeconfig at `kubeconfigPath`. */
export function kubeWriter(kubeconfigPath: string): KubeWriter {
  const config = new KubeConfig();
  config.loadFromFile(kubeconfigPath);
  const server = config.getCurrentCluster()?.server;
  if (!server) throw new Error(`${kubeconfigPath} names no cluster server`);

  const send = async <T>(method: "POST" | "PUT", path: string, body: unknown): Promise<T> => {
    const url = new URL(path, server);
    const options: RequestOptions = {
      method,
      headers: { "Content-Type": "application/json", Accept: "application/json" },
    };
    await config.applyToHTTPSOptions(options);
    const payload = JSON.stringify(body);
    return new Promise<T>((resolve, reject) => {
      const req = request(url, { ...options, timeout: 10_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            resolve(JSON.parse(text) as T);
            return;
          }
          let message = text.slice(0, 300);
          try {
            message = (JSON.parse(text) as { message?: string }).message ?? message;
          } catch {
            // not a Status body: keep the start of the text
          }
          reject(new Error(`${method} ${path}: HTTP ${status}: ${message}`));
        });
        res.on("error", reject);
      });
      req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer in 10 s`)));
      req.on("error", reject);
      req.end(payload);
    });
  };

  return {
    create: (object) => send("POST", collectionPath(object), object),
    replaceStatus: (object) => send("PUT", `${objectPath(object)}/status`, object),
  };
}
