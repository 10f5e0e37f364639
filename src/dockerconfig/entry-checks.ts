/**
 * Per-entry analysis of an `auths` entry: what kubelet would decode from it, and the problems consumers have
 * with it (see problem-codes.ts for who rejects what). Messages never contain credential values.
 */
import type { InputPosition } from "../errors.js";
import { decodeKubeletAuth } from "./go-base64.js";
import { describeControlCharacters } from "./go-strings.js";
import { checkRegistryKey } from "./key-checks.js";
import type { CheckMode } from "./key-checks.js";
import type { DecodedCredentials, DockerConfigEntry, DockerConfigFormat } from "./model.js";
import { makeProblem, quoteKey } from "./problems.js";
import type { Problem } from "./problems.js";

export interface FieldValue {
  value: string;
  position?: InputPosition;
}

/** The string fields of one entry as read from the document (after Go's last-wins, case-insensitive matching). */
export interface EntryFields {
  key: string;
  keyPosition?: InputPosition;
  username?: FieldValue;
  password?: FieldValue;
  email?: FieldValue;
  auth?: FieldValue;
  identityToken?: FieldValue;
  registryToken?: FieldValue;
  serverAddress?: FieldValue;
}

export interface EntryContext {
  format: DockerConfigFormat;
  mode: CheckMode;
  source?: string;
}

export interface EntryAnalysis {
  entry: DockerConfigEntry;
  problems: Problem[];
}

export function analyzeEntry(fields: EntryFields, context: EntryContext): EntryAnalysis {
  const problems: Problem[] = [];
  const key = fields.key;
  const q = quoteKey(key);
  const where = (field?: FieldValue) => {
    const details: { key: string; position?: InputPosition; source?: string } = { key };
    const position = field?.position ?? fields.keyPosition;
    if (position !== undefined) details.position = position;
    if (context.source !== undefined) details.source = context.source;
    return details;
  };
  const add = (
    code: Parameters<typeof makeProblem>[0],
    message: string,
    field?: FieldValue,
    severity?: Problem["severity"],
  ) => problems.push(makeProblem(code, message, severity ? { ...where(field), severity } : where(field)));

  problems.push(...checkRegistryKey(key, context.mode, where()));

  const entry: DockerConfigEntry = { key, decoded: undefined };
  if (fields.keyPosition !== undefined) entry.position = fields.keyPosition;
  if (fields.username) entry.username = fields.username.value;
  if (fields.password) entry.password = fields.password.value;
  if (fields.email) entry.email = fields.email.value;
  if (fields.auth) entry.auth = fields.auth.value;
  if (fields.identityToken) entry.identityToken = fields.identityToken.value;
  if (fields.registryToken) entry.registryToken = fields.registryToken.value;
  if (fields.serverAddress) entry.serverAddress = fields.serverAddress.value;

  const username = fields.username?.value ?? "";
  const password = fields.password?.value ?? "";
  const auth = fields.auth?.value ?? "";
  const identityToken = fields.identityToken?.value ?? "";
  const registryToken = fields.registryToken?.value ?? "";

  let decoded: DecodedCredentials | undefined;
  if (auth !== "") {
    const r = decodeKubeletAuth(auth);
    if (!r.ok) {
      if (r.failure === "no-colon") {
        add(
          "auth-no-colon",
          `auth of ${q} does not decode to "username:password" (no ':'); kubelet rejects the whole secret`,
          fields.auth,
        );
      } else if (r.failure === "url-safe") {
        add(
          "auth-url-safe-base64",
          `auth of ${q} uses the URL-safe base64 alphabet ('-' or '_'); kubelet, skopeo, docker and containerd reject it`,
          fields.auth,
        );
      } else if (r.failure === "alphabet") {
        add(
          "auth-not-base64",
          `auth of ${q} contains characters outside the base64 alphabet; kubelet rejects the whole secret`,
          fields.auth,
        );
      } else {
        add(
          "auth-not-base64",
          `auth of ${q} has an invalid base64 length or padding; kubelet rejects the whole secret`,
          fields.auth,
        );
      }
    } else {
      decoded = { username: r.auth.username, password: r.auth.password };
      if (!r.padded) {
        add(
          "auth-unpadded-base64",
          `auth of ${q} lacks '=' padding; kubelet accepts it but skopeo, docker and containerd reject it`,
          fields.auth,
        );
      }
      if (/[\r\n]/.test(auth)) {
        add(
          "auth-line-breaks",
          `auth of ${q} contains line breaks; Go decoders skip them, others may not`,
          fields.auth,
        );
      }
      if (!r.auth.utf8) {
        add("auth-decoded-not-utf8", `decoded auth of ${q} is not valid UTF-8`, fields.auth);
      }
      checkDecoded(decoded, fields.auth, "decoded auth");
      if (
        (fields.username || fields.password) &&
        (username !== decoded.username || password !== decoded.password)
      ) {
        add(
          "auth-disagrees",
          `auth of ${q} disagrees with its username/password fields; kubelet, skopeo and docker use auth`,
          fields.auth,
        );
      }
    }
  } else if (username !== "" || password !== "") {
    decoded = { username, password };
    add(
      "auth-missing",
      `entry ${q} has username/password but no auth; kubelet and docker use them, skopeo ignores them and pulls anonymously`,
      fields.username ?? fields.password,
    );
    checkDecoded(decoded, fields.password ?? fields.username, "username/password");
  }

  if (username.includes(":")) {
    add(
      "username-contains-colon",
      `username of ${q} contains ':'; consumers split "user:password" on the first ':' and misread it`,
      fields.username,
    );
  }

  if (identityToken !== "") {
    if (auth === "" && username === "" && password === "") {
      add(
        "identitytoken-without-auth",
        `entry ${q} has only an identitytoken; kubelet ignores identity tokens and skopeo pulls anonymously without auth`,
        fields.identityToken,
      );
    } else {
      // Error when kubelet would then send an empty password (ACR's 00000000-… user with an identity token).
      const emptyPassword = decoded !== undefined && decoded.password === "";
      add(
        "identitytoken-ignored-by-kubelet",
        `kubelet ignores the identitytoken of ${q} and sends the username/password from auth${emptyPassword ? ", whose password is empty" : ""}`,
        fields.identityToken,
        emptyPassword ? "error" : undefined,
      );
    }
  }
  if (registryToken !== "") {
    const only = auth === "" && username === "" && password === "" && identityToken === "";
    add(
      "registrytoken-ignored",
      `kubelet and containerd ignore the registrytoken of ${q}${only ? "; the entry has no other credentials" : ""}`,
      fields.registryToken,
      only ? "error" : undefined,
    );
  }
  if (auth === "" && username === "" && password === "" && identityToken === "" && registryToken === "") {
    add(
      "entry-no-credentials",
      context.format === "config.json"
        ? `entry ${q} carries no credentials (docker writes such entries when a credential helper holds them)`
        : `entry ${q} carries no credentials`,
      undefined,
      context.format === "config.json" ? "info" : undefined,
    );
  }

  entry.decoded = decoded;
  return { entry, problems };

  function checkDecoded(creds: DecodedCredentials, field: FieldValue | undefined, what: string): void {
    if (creds.password.endsWith("\n")) {
      add(
        "auth-password-trailing-newline",
        `the password in the ${what} of ${q} ends with a newline (echo without -n?); kubelet, containerd and skopeo send it as part of the password`,
        field,
      );
    }
    const pw = creds.password.endsWith("\n") ? creds.password.slice(0, -1) : creds.password;
    for (const [name, value] of [
      ["username", creds.username],
      ["password", pw],
    ] as const) {
      const found = describeControlCharacters(value);
      if (found) {
        add(
          "credential-control-characters",
          `the ${name} in the ${what} of ${q} contains ${found}; kubelet, containerd and skopeo send it as it is`,
          field,
        );
      }
    }
    if (creds.password.startsWith("\u0000") || creds.password.endsWith("\u0000")) {
      add(
        "credential-nul-padding",
        `the password in the ${what} of ${q} starts or ends with NUL (U+0000), which skopeo and podman strip, sending another password`,
        field,
        context.mode === "build" ? "error" : undefined,
      );
    }
    if (creds.username === "") {
      add("auth-empty-username", `the ${what} of ${q} has an empty username`, field);
    }
    if (creds.password === "" && identityToken === "") {
      add("auth-empty-password", `the ${what} of ${q} has an empty password`, field);
    }
  }
}
