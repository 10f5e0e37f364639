// A wire-faithful Kubernetes test API server (test support, never shipped): node:http on 127.0.0.1:0 serving
// discovery, CRUD / patch / list / watch for the kinds pullwarden touches, real `Status` errors, admission and
// RBAC. See README.md in this folder for what is faithful and what is knowingly simplified.
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import type { Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createPki, makeScratchDir, removeScratchDir } from "../support/index.js";
import { applyDefaults, foldStringData, namespaceBootstrapObjects, randomSuffix } from "./admission.js";
import { defaultClusterRoles, SYSTEM_NAMESPACES } from "./bootstrap.js";
import type { VersionInfo } from "./discovery.js";
import { writeKubeconfig } from "./kubeconfig.js";
import type { RbacStore, UserRules, UserSpec } from "./rbac.js";
import { Authorizer } from "./rbac.js";
import type { CustomResourceSpec, ResourceDef } from "./resources.js";
import {
  builtinResources,
  customResource,
  DEFAULT_CUSTOM_RESOURCES,
  ResourceRegistry,
  storeKey,
} from "./resources.js";
import type { FrontendContext, Interceptor, RequestRecord } from "./server.js";
import { Frontend } from "./server.js";
import { ObjectStore } from "./store.js";
import type { KubeObject } from "./types.js";
import { deepCopy, nowTimestamp } from "./types.js";

export type { RbacRule, UserRules, UserSpec } from "./rbac.js";
export type { CustomResourceSpec } from "./resources.js";
export type { InterceptAction, Interceptor, RequestRecord } from "./server.js";
export type { Json, JsonObject, KubeObject, ObjectMeta, UserInfo } from "./types.js";
export { ApiError } from "./status.js";
export * as statuses from "./status.js";

export interface ApiServerOptions {
  /**
   * Users and their bearer tokens and rules. An `admin` user with full access (group system:masters) always
   * exists unless given here.
   */
  users?: Record<string, UserSpec>;
  /** Namespaces to create besides default, kube-node-lease, kube-public and kube-system. */
  namespaces?: string[];
  /** Objects to seed (after the namespaces), bypassing admission. */
  objects?: KubeObject[];
  /** Custom resources served (default: pullwarden.io/v1alpha1 PullSecretBinding). */
  customResources?: CustomResourceSpec[];
  /** What /version reports (default v1.32.0; the gcloud kubectl dispatcher picks its kubectl by it). */
  version?: VersionInfo;
  /**
   * Serve https with a generated CA (in the kubeconfig as certificate-authority-data). Default true: kubectl
   * (client-go) does not send bearer tokens to an http:// server, so with `tls: false` kubectl is anonymous.
   */
  tls?: boolean;
  /** Change events kept for watches (older resourceVersions get 410). Default 1000. */
  watchHistorySize?: number;
  /** Interval of BOOKMARK events on watches that allow them. Default 1000 ms. */
  bookmarkIntervalMs?: number;
  /** How long a deleted namespace stays Terminating before it and its contents go. Default 0 (next tick). */
  namespaceDeletionDelayMs?: number;
  /** ServiceAccount admission adds the kube-api-access token volume to Pods (default true). */
  mountServiceAccountToken?: boolean;
}

/** Direct access to the stored objects, bypassing HTTP, authorization and admission. */
export interface ObjectAccess {
  /** Stores objects as given (plus uid, creationTimestamp, resourceVersion); namespaces get their default SA. */
  seed(...objects: KubeObject[]): KubeObject[];
  /** `resource` is the plural, with `.group` for named groups: `secrets`, `leases.coordination.k8s.io`. */
  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined;
  list(resource: string, namespace?: string): KubeObject[];
  /** Replaces a stored object as given (e.g. to set a Pod's status); bumps its resourceVersion. */
  put(object: KubeObject): KubeObject;
  delete(resource: string, namespace: string | undefined, name: string): boolean;
  /** The current resourceVersion (what a list would return). */
  resourceVersion(): string;
  /** Forgets the watch history: watches from any earlier resourceVersion get 410 Expired. */
  compact(): void;
}

export interface ApiServer {
  /** `http://127.0.0.1:PORT` (or https). */
  url: string;
  /** A kubeconfig with one context per user (named after it); the current context is `admin`. */
  kubeconfigPath: string;
  /** The CA certificate (PEM) when serving https. */
  caPem?: string;
  /** A user's bearer token. */
  token(user: string): string;
  /** Writes a kubeconfig whose current context is `user` (and namespace, if given); returns its path. */
  kubeconfigFor(user: string, namespace?: string): string;
  objects: ObjectAccess;
  /** Every request so far (method, path, query, verb, resource, user, response status). */
  requestLog(): readonly RequestRecord[];
  clearRequestLog(): void;
  /** Replaces a user's allow rules. */
  setRbac(user: string, rules: UserRules): void;
  /** Adds a user (rewriting the kubeconfig files); returns the token. */
  addUser(name: string, spec?: UserSpec): string;
  /** Runs `fn` on every request before authorization; it may answer with an error or drop the connection. */
  intercept(fn: Interceptor): () => void;
  /** Closes watches and connections and removes the scratch directory. Idempotent. */
  stop(): Promise<void>;
}

let pkiPromise: Promise<{ ca: string; cert: string; key: string }> | undefined;

/** One CA and 127.0.0.1 certificate per test process (openssl key generation is the slow part). */
function sharedPki(): Promise<{ ca: string; cert: string; key: string }> {
  pkiPromise ??= (async () => {
    const dir = makeScratchDir("kube-apiserver-pki");
    try {
      const pki = await createPki(dir);
      return {
        ca: readFileSync(pki.caFile, "utf8"),
        cert: readFileSync(pki.serverCertFile, "utf8"),
        key: readFileSync(pki.serverKeyFile, "utf8"),
      };
    } finally {
      removeScratchDir(dir);
    }
  })();
  return pkiPromise;
}

const PLACEHOLDER_CA = "-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----\n";

export async function startApiServer(options: ApiServerOptions = {}): Promise<ApiServer> {
  const dir = makeScratchDir("kube-apiserver");
  const registry = new ResourceRegistry([
    ...builtinResources(),
    ...(options.customResources ?? DEFAULT_CUSTOM_RESOURCES).map(customResource),
  ]);
  const store = new ObjectStore(options.watchHistorySize ?? 1000);
  const rbacStore: RbacStore = {
    list: (plural, namespace) => store.list(`rbac.authorization.k8s.io/${plural}`, namespace),
    get: (plural, namespace, name) => store.get(`rbac.authorization.k8s.io/${plural}`, namespace, name),
  };
  const authorizer = new Authorizer(rbacStore);
  const users = new Map<string, string>();
  const addUser = (name: string, spec: UserSpec = {}): string => {
    const token = spec.token ?? `${name.replace(/[^a-zA-Z0-9]/g, "")}-${randomBytes(12).toString("hex")}`;
    const groups = spec.groups ?? (name === "admin" ? ["system:masters"] : []);
    authorizer.addUser(name, token, groups, spec.rules ?? (name === "admin" ? "cluster-admin" : []));
    users.set(name, token);
    return token;
  };
  const userSpecs = { admin: {}, ...options.users };
  for (const [name, spec] of Object.entries(userSpecs)) addUser(name, spec);

  let caPem: string | undefined;
  let server: Server;
  const timers = new Set<NodeJS.Timeout>();
  let address = "";
  const ctx: FrontendContext = {
    registry,
    store,
    authorizer,
    caPem: PLACEHOLDER_CA,
    namespaceDeletionDelayMs: options.namespaceDeletionDelayMs ?? 0,
    mountServiceAccountToken: options.mountServiceAccountToken ?? true,
    timers,
    version: options.version ?? { major: "1", minor: "32", gitVersion: "v1.32.0" },
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 1000,
    serverAddress: () => address,
  };
  const frontend = new Frontend(ctx);
  const tls = options.tls ?? true;
  if (tls) {
    const pki = await sharedPki();
    caPem = pki.ca;
    server = createHttpsServer({ cert: pki.cert, key: pki.key }, (req, res) => frontend.handle(req, res));
  } else {
    server = createHttpServer((req, res) => frontend.handle(req, res));
  }
  if (caPem) ctx.caPem = caPem;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  address = `127.0.0.1:${port}`;
  const url = `${tls ? "https" : "http"}://${address}`;

  const resolve = (resource: string): ResourceDef => {
    const dot = resource.indexOf(".");
    const plural = dot < 0 ? resource : resource.slice(0, dot);
    const group = dot < 0 ? "" : resource.slice(dot + 1);
    const def = registry.byResource(group, plural);
    if (!def) throw new Error(`unknown resource ${resource}`);
    return def;
  };

  const seedOne = (input: KubeObject): KubeObject => {
    const def = registry.byKind(input.apiVersion, input.kind);
    if (!def || def.virtual) throw new Error(`seed: unknown kind ${input.apiVersion}/${input.kind}`);
    const obj = deepCopy(input);
    obj.metadata ??= {};
    if (def.namespaced) {
      obj.metadata.namespace ??= "default";
      if (!store.has("/namespaces", undefined, obj.metadata.namespace)) {
        throw new Error(`seed: namespace "${obj.metadata.namespace}" does not exist`);
      }
    } else delete obj.metadata.namespace;
    if (!obj.metadata.name && obj.metadata.generateName)
      obj.metadata.name = `${obj.metadata.generateName}${randomSuffix()}`;
    if (!obj.metadata.name) throw new Error("seed: object has no name");
    if (store.has(storeKey(def), obj.metadata.namespace, obj.metadata.name)) {
      throw new Error(`seed: ${def.plural} "${obj.metadata.name}" already exists`);
    }
    obj.metadata.uid ??= randomUUID();
    obj.metadata.creationTimestamp ??= nowTimestamp();
    if (def.tracksGeneration) obj.metadata.generation ??= 1;
    delete obj.metadata.resourceVersion;
    if (def.group === "" && def.kind === "Secret") foldStringData(obj);
    applyDefaults(def, obj);
    const stored = store.create(storeKey(def), obj);
    if (def.group === "" && def.kind === "Namespace") {
      for (const b of namespaceBootstrapObjects(obj.metadata.name, caPem ?? PLACEHOLDER_CA)) {
        const bdef = registry.byKind(b.apiVersion, b.kind);
        if (bdef && !store.has(storeKey(bdef), b.metadata.namespace, b.metadata.name ?? "")) seedOne(b);
      }
    }
    return stored;
  };

  const objects: ObjectAccess = {
    seed: (...objs) => objs.map(seedOne),
    get: (resource, namespace, name) => {
      const def = resolve(resource);
      return store.get(storeKey(def), def.namespaced ? namespace : undefined, name);
    },
    list: (resource, namespace) => {
      const def = resolve(resource);
      return store.list(storeKey(def), def.namespaced ? namespace : undefined);
    },
    put: (obj) => {
      const def = registry.byKind(obj.apiVersion, obj.kind);
      if (!def) throw new Error(`put: unknown kind ${obj.apiVersion}/${obj.kind}`);
      if (!store.has(storeKey(def), obj.metadata.namespace, obj.metadata.name ?? "")) {
        throw new Error(`put: ${def.plural} "${obj.metadata.name ?? ""}" does not exist`);
      }
      return store.update(storeKey(def), obj);
    },
    delete: (resource, namespace, name) => {
      const def = resolve(resource);
      return store.delete(storeKey(def), def.namespaced ? namespace : undefined, name) !== undefined;
    },
    resourceVersion: () => String(store.currentRv()),
    compact: () => store.compact(),
  };

  for (const ns of [...SYSTEM_NAMESPACES, ...(options.namespaces ?? [])]) {
    if (!store.has("/namespaces", undefined, ns))
      seedOne({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
  }
  for (const role of defaultClusterRoles()) seedOne(role);
  for (const obj of options.objects ?? []) seedOne(obj);

  const kubeconfigFiles = new Map<string, { user: string; namespace?: string }>();
  const writeAll = (): void => {
    for (const [path, spec] of kubeconfigFiles) {
      writeKubeconfig(path, {
        server: url,
        caPem,
        users: [...users].map(([name, token]) => ({ name, token })),
        currentUser: spec.user,
        namespace: spec.namespace,
      });
    }
  };
  const kubeconfigFor = (user: string, namespace?: string): string => {
    if (!users.has(user)) throw new Error(`unknown user ${user}`);
    const path = join(
      dir,
      `kubeconfig-${user.replace(/[^a-zA-Z0-9-]/g, "_")}${namespace ? `-${namespace}` : ""}`,
    );
    kubeconfigFiles.set(path, { user, namespace });
    writeAll();
    return path;
  };
  const kubeconfigPath = join(dir, "kubeconfig");
  kubeconfigFiles.set(kubeconfigPath, { user: "admin" });
  writeAll();

  let stopped: Promise<void> | undefined;
  return {
    url,
    kubeconfigPath,
    caPem,
    token: (user) => {
      const t = users.get(user);
      if (!t) throw new Error(`unknown user ${user}`);
      return t;
    },
    kubeconfigFor,
    objects,
    requestLog: () => frontend.log,
    clearRequestLog: () => {
      frontend.log.length = 0;
    },
    setRbac: (user, rules) => authorizer.setRules(user, rules),
    addUser: (name, spec) => {
      const token = addUser(name, spec);
      writeAll();
      return token;
    },
    intercept: (fn) => {
      frontend.interceptors.add(fn);
      return () => frontend.interceptors.delete(fn);
    },
    stop: () => {
      stopped ??= (async () => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        for (const w of [...frontend.watches]) w.close();
        await new Promise<void>((resolveClose) => {
          server.close(() => resolveClose());
          server.closeAllConnections();
        });
        removeScratchDir(dir);
      })();
      return stopped;
    },
  };
}
