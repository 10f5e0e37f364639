/** The parsed form of `.dockerconfigjson`, legacy `.dockercfg` and docker `config.json` documents. */
import type { InputPosition } from "../errors.js";
import type { Problem } from "./problems.js";

/**
 * - `dockerconfigjson`: `{"auths":{…}}`, the value of a kubernetes.io/dockerconfigjson Secret.
 * - `dockercfg`: the legacy bare map `{"<registry>":{…}}`, the value of a kubernetes.io/dockercfg Secret.
 * - `config.json`: docker's client config (`auths` plus `credsStore`, `credHelpers` and other settings).
 */
export type DockerConfigFormat = "dockerconfigjson" | "dockercfg" | "config.json";

export interface DecodedCredentials {
  username: string;
  password: string;
}

export interface DockerConfigEntry {
  /** The registry key exactly as written (`ghcr.io`, `https://index.docker.io/v1/`, `*.azurecr.io`). */
  key: string;
  username?: string;
  password?: string;
  email?: string;
  auth?: string;
  identityToken?: string;
  registryToken?: string;
  serverAddress?: string;
  /**
   * What kubelet would send: `auth` (when non-empty) overrides username/password, decoded leniently as kubelet
   * does (padded or unpadded standard base64, split on the first ':'). undefined when kubelet cannot decode
   * `auth` (it then rejects the whole secret) or when the entry has no auth, username or password at all.
   */
  decoded: DecodedCredentials | undefined;
  /** Where the entry's key is in the text. */
  position?: InputPosition;
}

export interface ParsedDockerConfig {
  format: DockerConfigFormat;
  /** In document order; a key repeated in the document appears once, with its last value (as in Go). */
  entries: DockerConfigEntry[];
  /** docker config.json `credsStore` (helper suffix for every registry). */
  credsStore?: string;
  /** docker config.json `credHelpers` (registry → helper suffix). */
  credHelpers?: Record<string, string>;
  problems: Problem[];
}
