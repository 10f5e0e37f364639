/**
 * Resolves a credential source to the credentials it holds, through the ports of source.ts: a password from
 * the command line, standard input, a file or an environment variable (one trailing newline of a stream is not
 * part of it, as `docker login --password-stdin` reads it; an empty password is refused where it was read), a
 * docker config.json and its helpers, a pull secret file, or a token a cloud CLI mints. Errors name the source,
 * never a value.
 */
import { InputError } from "../errors.js";
import { classifyToken } from "../tokens/index.js";
import { mintCloudToken } from "./cloud-token.js";
import { readInput } from "./source.js";
import type { AnyCredentialSource, ResolvedCredential, SourcePorts } from "./source.js";

/** One trailing newline (LF or CRLF), as `docker login --password-stdin` drops it. */
function trimTrailingNewline(text: string): string {
  return text.replace(/\r?\n$/, "");
}

/**
 * An empty password is refused where it was read, naming the source: kubectl's generic "either --from-file
 * or ..." would send the user looking for a missing flag when the flag is there and the value is not.
 */
function nonEmptyPassword(password: string, source: string, hint?: string): string {
  if (password !== "") return password;
  throw new InputError("E_EMPTY_PASSWORD", `no password: ${source} is empty`, {
    hint: hint ?? "put the password there, or pass it with --docker-password-stdin",
  });
}

/** A password on standard input (`flag` names the option that asked for it); a terminal may be prompted. */
export async function passwordFromStdin(
  ports: Pick<SourcePorts, "readStdin">,
  flag: string,
): Promise<string> {
  return nonEmptyPassword(
    trimTrailingNewline(await ports.readStdin("secret", "password")),
    `the password read from standard input (${flag})`,
    `check that what you pipe in is set: printf '%s' "$TOKEN" | ... sends nothing when TOKEN is unset or empty`,
  );
}

/** The password a single-registry source names, read from where it is, and where that was (for messages). */
async function readPassword(
  source: Extract<AnyCredentialSource, { server: string; username: string }>,
  ports: SourcePorts,
): Promise<{ password: string; from: string }> {
  switch (source.kind) {
    case "password": {
      const flag = source.flag ?? "--docker-password";
      return { password: nonEmptyPassword(source.password, `the password given with ${flag}`), from: flag };
    }
    case "password-stdin":
      return {
        password: await passwordFromStdin(ports, source.flag ?? "--docker-password-stdin"),
        from: "standard input",
      };
    case "password-file": {
      const text = await readInput(ports, source.passwordFile, "secret");
      return {
        password: nonEmptyPassword(trimTrailingNewline(text), `the password file ${source.passwordFile}`),
        from: `the password file ${source.passwordFile}`,
      };
    }
    case "env": {
      const name = source.passwordEnv;
      const value = ports.env[name];
      if (value === undefined) {
        throw new InputError("E_EMPTY_PASSWORD", `no password: environment variable ${name} is not set`, {
          hint: `export ${name}=... first (or check the variable's name)`,
        });
      }
      return {
        password: nonEmptyPassword(
          value,
          `environment variable ${name}`,
          `set ${name} to the password first`,
        ),
        from: `environment variable ${name}`,
      };
    }
    default:
      return unsupportedSource(source);
  }
}

/** A static credential: its expiry when the password says it (a JWT's exp), the username as the identity. */
function staticCredential(
  entry: { server: string; username: string; password: string; email?: string | undefined },
  source: string,
): ResolvedCredential {
  const expiresAt = classifyToken({ username: entry.username, password: entry.password }).expiresAt;
  return {
    server: entry.server,
    username: entry.username,
    password: entry.password,
    ...(entry.email ? { email: entry.email } : {}),
    ...(expiresAt ? { expiresAt } : {}),
    source,
    identity: entry.username,
  };
}

/** A source of a kind this version does not know (a newer layout, or a caller's mistake). */
export function unsupportedSource(source: { kind: string }, secretName?: string): never {
  throw new InputError(
    "E_SOURCE_UNSUPPORTED",
    `${secretName !== undefined ? `secret ${secretName}: ` : ""}credential source kind ${JSON.stringify(source.kind)} is not supported by this version of pullwarden`,
  );
}

/** The credentials of a docker config.json (and its helpers), and the path read; none is an error. */
export async function readDockerConfig(
  source: Extract<AnyCredentialSource, { kind: "docker-config" }>,
  ports: SourcePorts,
): Promise<{ path: string; credentials: ResolvedCredential[] }> {
  const config = await ports.dockerConfig(source.path, source.registries);
  if (config.credentials.length === 0) {
    throw new InputError("E_NO_CREDENTIALS", `${config.path}: holds no registry credentials`, {
      source: config.path,
      hint: "log in with docker login first, or pass --docker-username with --docker-password-stdin",
    });
  }
  return {
    path: config.path,
    credentials: config.credentials.map((credential) =>
      staticCredential(credential, `${config.path} (${credential.origin})`),
    ),
  };
}

/**
 * The credentials a source holds, in its order: one for a single-registry source, each registry of a docker
 * config or pull secret file. A single-registry source without a server or username is refused after its
 * password was read (E_CREDENTIAL_INCOMPLETE), so a password that cannot be read is reported first.
 */
export async function resolveCredentials(
  source: AnyCredentialSource,
  ports: SourcePorts,
): Promise<ResolvedCredential[]> {
  switch (source.kind) {
    case "cloud-token":
      return [await (ports.mintCloudToken ?? mintCloudToken)(source, ports)];
    case "docker-config":
      return (await readDockerConfig(source, ports)).credentials;
    case "file": {
      const [{ loadPullCredentialSources }, { parseDockerConfigTextToView }] = await Promise.all([
        import("../manifest/index.js"),
        import("../dockerconfig/index.js"),
      ]);
      const text = await readInput(ports, source.path, "manifest");
      const { sources } = loadPullCredentialSources(text, source.path === "-" ? "stdin" : source.path);
      return sources.flatMap((found) =>
        parseDockerConfigTextToView(found.config).entries.flatMap(({ key, username, password, email }) =>
          username !== undefined && password !== undefined
            ? [staticCredential({ server: key, username, password, email }, found.label)]
            : [],
        ),
      );
    }
    case "password":
    case "password-stdin":
    case "password-file":
    case "env": {
      const { password, from } = await readPassword(source, ports);
      if (source.server === "" || source.username === "") {
        throw new InputError(
          "E_CREDENTIAL_INCOMPLETE",
          `the credential from ${from} needs ${source.server === "" ? "a registry server" : "a username"}`,
        );
      }
      return [
        staticCredential(
          {
            server: source.server,
            username: source.username,
            password,
            ...(source.email ? { email: source.email } : {}),
          },
          from,
        ),
      ];
    }
    default:
      return unsupportedSource(source);
  }
}
