/**
 * Credential sources: where a registry credential comes from. One definition: the sources a layout names
 * (`CredentialSource`, src/desired/, never a secret value) and the two only a command line can name (a password
 * given on it, or on standard input). `resolveCredentials` (resolve.ts) reads any of them through the ports
 * below, so the CLI, `apply -f` and later the controller resolve them the same way, and tests control the world.
 * A source the next issues add (an SDK-minted ECR or ACR token) resolves to the same `ResolvedCredential`.
 */
import type { ResolvedCredential as HelperResolvedCredential } from "../credential-helpers/index.js";
import type { CredentialSource } from "../desired/index.js";
import type { RunProcess } from "../process/bounded-exec.js";

/** Sources only a command line can name: a layout never holds a password, and stdin is read once. */
export type CommandLineCredentialSource =
  /** The password itself (`--docker-password`: visible in the process list, so the CLI warns). */
  | {
      readonly kind: "password";
      readonly server: string;
      readonly username: string;
      readonly password: string;
      readonly email?: string;
      /** How the user gave it, for messages (default `--docker-password`). */
      readonly flag?: string;
    }
  /** The password on standard input (`--docker-password-stdin`); one trailing newline is not part of it. */
  | {
      readonly kind: "password-stdin";
      readonly server: string;
      readonly username: string;
      readonly email?: string;
      /** How the user asked for it, for messages (default `--docker-password-stdin`). */
      readonly flag?: string;
    };

export type AnyCredentialSource = CredentialSource | CommandLineCredentialSource;

/** What a source yields for one registry. */
export interface ResolvedCredential {
  readonly server: string;
  readonly username: string;
  readonly password: string;
  readonly email?: string;
  /** When the password stops working, when that can be known (a JWT's exp, an ECR token's 12 hours). */
  readonly expiresAt?: Date;
  /** Where it was read or what minted it, for messages ("environment variable GHCR_TOKEN"); never a value. */
  readonly source: string;
  /**
   * Who the registry sees: the account of a static credential (its username), or the identity that minted a
   * token ("the aws CLI's credentials (profile prod)"; an SDK source will name the role). Never a secret.
   */
  readonly identity: string;
}

/** How much a read may hold: a Secret's payload (1 MiB, Kubernetes' limit) or a stream of manifests. */
export type InputSize = "secret" | "manifest";

/** A docker config.json and what it (and its credential helpers) yield (the CLI's `openDockerConfig`). */
export interface DockerConfigCredentials {
  /** The path read (as given, or the default location). */
  readonly path: string;
  readonly credentials: readonly HelperResolvedCredential[];
}

/** The world a source is read from. The CLI builds it from its io; tests pass their own. */
export interface SourcePorts {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where a cloud CLI runs. */
  readonly cwd: string;
  readonly now: () => Date;
  /** A user's file as text (strict UTF-8, capped by `size`); failures are InputErrors naming the path. */
  readonly readFile: (path: string, size: InputSize) => Promise<string>;
  /** Standard input as text, read once; a terminal may be prompted for a password. */
  readonly readStdin: (size: InputSize, purpose: "password" | "input") => Promise<string>;
  /** Runs a cloud CLI (src/process/bounded-exec.ts `runBounded`, or a fake). */
  readonly exec: RunProcess;
  /**
   * The credentials of a docker config.json (`path` undefined: the default location) for `registries`, or for
   * every registry it knows when that is empty; credential helpers run here.
   */
  readonly dockerConfig: (
    path: string | undefined,
    registries: readonly string[],
  ) => Promise<DockerConfigCredentials>;
  /** Free text (a CLI's stderr) as one display line with credentials redacted. */
  readonly displayLine: (text: string) => string;
  /** A warning for the user, with the fix when there is one; the library prints nothing itself. */
  readonly warn: (message: string, fix?: string) => void;
  /**
   * Mints a `cloud-token` source's credential. Default: cloud-token.ts `mintCloudToken` (the cloud SDKs, which
   * reach the cloud); a test that must stay offline passes its own.
   */
  readonly mintCloudToken?: (
    source: Extract<CredentialSource, { kind: "cloud-token" }>,
    ports: SourcePorts,
  ) => Promise<ResolvedCredential>;
}

/** `-` is standard input wherever a path is read, as on the command line. */
export function readInput(ports: SourcePorts, pathOrDash: string, size: InputSize): Promise<string> {
  return pathOrDash === "-" ? ports.readStdin(size, "input") : ports.readFile(pathOrDash, size);
}
