/**
 * The docker client's view of a parsed config.json, as docker/cli loads it (cli/config/configfile/file.go):
 * `auth` is decoded into username/password on load, so an entry holding only `auth` still has a username.
 * Consumed by the credential-helper resolution (credsStore / credHelpers), which lives outside this module.
 */
import type { ParsedDockerConfig } from "./model.js";

export interface DockerClientEntry {
  key: string;
  username?: string;
  password?: string;
  email?: string;
  identityToken?: string;
}

export interface DockerClientView {
  entries: DockerClientEntry[];
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

/**
 * `parsed` as the docker client sees it: username/password from the decoded `auth` when there is one (decoded
 * as kubelet does; docker is stricter and refuses to load a config with an undecodable `auth`), else from the
 * username/password fields.
 */
export function parseDockerConfigTextToView(parsed: ParsedDockerConfig): DockerClientView {
  const view: DockerClientView = {
    entries: parsed.entries.map((e) => {
      const entry: DockerClientEntry = { key: e.key };
      const username = e.auth ? e.decoded?.username : e.username;
      const password = e.auth ? e.decoded?.password : e.password;
      if (username !== undefined && username !== "") entry.username = username;
      if (password !== undefined && password !== "") entry.password = password;
      if (e.email !== undefined && e.email !== "") entry.email = e.email;
      if (e.identityToken !== undefined && e.identityToken !== "") entry.identityToken = e.identityToken;
      return entry;
    }),
  };
  if (parsed.credsStore !== undefined) view.credsStore = parsed.credsStore;
  if (parsed.credHelpers !== undefined) view.credHelpers = parsed.credHelpers;
  return view;
}
