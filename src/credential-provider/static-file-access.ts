/**
 * Who may read the static credentials file. kubelet runs the plugin as root, and the file holds registry
 * passwords for every Pod on the node: it must be a regular file owned by the user the plugin runs as, with no
 * permission for group or others (as ssh refuses a private key others can read). Pure: the caller stats the open
 * file (so the check and the read see the same file).
 */
import { EnvironmentError } from "../errors.js";
import { shPath } from "../text/index.js";

export interface FileFacts {
  readonly isFile: boolean;
  /** st_mode; only the permission bits are looked at. */
  readonly mode: number;
  readonly uid: number;
}

function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, "0");
}

/** Throws E_PROVIDER_STATIC_ACCESS when others could read or replace the file. */
export function checkStaticFileAccess(path: string, facts: FileFacts, processUid: number): void {
  const refuse = (why: string, hint: string): never => {
    throw new EnvironmentError(
      "E_PROVIDER_STATIC_ACCESS",
      `${path}: ${why}; refusing to use the credentials in it`,
      {
        hint,
      },
    );
  };
  if (!facts.isFile) refuse("not a regular file", "point --static-config at the file itself");
  if (facts.uid !== processUid) {
    refuse(
      `owned by uid ${facts.uid}, not by the user the plugin runs as (uid ${processUid})`,
      `chown ${processUid === 0 ? "root:root" : processUid} ${shPath(path)}`,
    );
  }
  if ((facts.mode & 0o077) !== 0) {
    refuse(`mode ${octal(facts.mode)} gives group or others access`, `chmod 600 ${shPath(path)}`);
  }
}
