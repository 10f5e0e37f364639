/**
 * What loadPullCredentialSources (pull-credential-sources.ts) and dockerConfigJsonSources (docker-config-json.ts)
 * find in a text a user hands us: the types both return.
 */
import type { ParsedDockerConfig, Problem } from "../dockerconfig/index.js";

export interface PullCredentialSource {
  /** Human label: `secret apps/ghcr-pull (file.yaml:12)` or the file name for a raw config. */
  readonly label: string;
  /** Where it came from: the file name, with `:line` for documents in a stream. */
  readonly location: string;
  readonly secret?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly type: string;
    readonly key: string;
  };
  readonly config: ParsedDockerConfig;
  /** Secret-level problems and the config's own problems. */
  readonly problems: readonly Problem[];
}

export interface PullCredentialSources {
  readonly sources: PullCredentialSource[];
  /** Documents that are not pull credentials (other kinds, other Secret types are still reported as sources). */
  readonly skippedDocuments: number;
}
